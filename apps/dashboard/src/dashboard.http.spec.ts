import { Queue, Worker, type Job } from 'bullmq';
import { ALL_QUEUE_NAMES } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { Redis } from 'ioredis';
import { LoginRateLimit } from './lib/login-rate-limit';
import { LoginThrottle } from './lib/login-throttle';
import { logIn, startTestDashboard, TEST_CREDENTIALS, type TestDashboard } from './test-support/start-test-dashboard';

// The dashboard over real HTTP on loopback, against the test Redis under a unique prefix, served
// under /ops/queues: what answers where, who gets in, what a viewer may do, and /metrics.

const url = testRedisUrl();
/** Adds `count` jobs to `queue` and fails each once through a real BullMQ worker. */
async function failJobs(prefix: string, queue: Queue, count: number): Promise<Job[]> {
  const jobs = await Promise.all(Array.from({ length: count }, () => queue.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com/', depth: 1 })));
  const worker = new Worker(queue.name, async () => { throw new Error('boom'); }, { connection: { url }, prefix });
  try {
    await new Promise<void>((resolve) => {
      let failed = 0;
      worker.on('failed', () => {
        failed += 1;
        if (failed === count) resolve();
      });
    });
  } finally {
    await worker.close();
  }
  return jobs;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('dashboard over HTTP', () => {
  const prefix = uniquePrefix('dash');
  let now = Date.now();
  let dashboard: TestDashboard;
  let seo: Queue;

  beforeAll(async () => {
    dashboard = await startTestDashboard({ prefix, now: () => now, sessionTtlMs: 600_000, throttle: new LoginThrottle({ baseLockMs: 60_000 }) });
    seo = new Queue('seo', { connection: { url }, prefix });
  });
  afterAll(async () => {
    await seo?.close();
    await dashboard?.stop();
    await deletePrefix(url, prefix);
  });

  it('answers nothing outside its base path, even with a valid token', async () => {
    for (const path of ['/', '/api/queues', '/login', '/ops', '/ops/queuesx', '/ops/queuesx/api/queues', '/static/js/main.js']) {
      const res = await fetch(`${dashboard.origin}${path}`, { headers: bearer(TEST_CREDENTIALS.adminToken), redirect: 'manual' });
      expect([path, res.status]).toEqual([path, 404]);
    }
    const inside = await fetch(`${dashboard.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.adminToken) });
    expect(inside.status).toBe(200);
  });

  it('sends a page request without login to the login page with a next inside the base path; the API answers 401 JSON', async () => {
    const page = await fetch(`${dashboard.url}/queue/seo?status=failed`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/ops/queues/login?next=%2Fops%2Fqueues%2Fqueue%2Fseo%3Fstatus%3Dfailed');
    const api = await fetch(`${dashboard.url}/api/queues`);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'authentication required' });
    const write = await fetch(`${dashboard.url}/api/queues/seo/1/retry`, { method: 'PUT' });
    expect(write.status).toBe(401);
  });

  it('serves a self-contained login form, not cached, not frameable', async () => {
    const res = await fetch(`${dashboard.url}/login?next=/ops/queues/queue/seo`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<form method="post" action="/ops/queues/login">');
    expect(html).toContain('value="/ops/queues/queue/seo"');
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('takes bearer tokens by their hash: admin and viewer in, a wrong token 401 even beside a valid cookie', async () => {
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.adminToken) })).status).toBe(200);
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).status).toBe(200);
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
    const wrong = await fetch(`${dashboard.url}/api/queues`, { headers: { ...bearer('not-the-token'), cookie: cookie! } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('logs in with a signed, HttpOnly, SameSite=Strict session cookie on the base path, and logs out', async () => {
    const login = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password, { next: '/ops/queues/queue/seo' });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/ops/queues/queue/seo');
    const session = login.setCookie.find((c) => c.startsWith('jobs_dashboard='))!;
    expect(session).toMatch(/; path=\/ops\/queues;/);
    expect(session).toMatch(/; samesite=strict/i);
    expect(session).toMatch(/; httponly/i);
    expect(login.setCookie.some((c) => c.startsWith('jobs_dashboard.sig='))).toBe(true);
    const api = await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: login.cookie! } });
    expect(api.status).toBe(200);
    expect(api.headers.get('cache-control')).toBe('no-store');
    // A session value changed by hand fails its signature.
    const forged = login.cookie!.replace(/jobs_dashboard=[^;]+/, `jobs_dashboard=${Buffer.from(JSON.stringify({ user: TEST_CREDENTIALS.admin.user, role: 'admin', exp: now + 1e9 })).toString('base64')}`);
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: forged } })).status).toBe(401);
    const logout = await fetch(`${dashboard.url}/logout`, { method: 'POST', headers: { cookie: login.cookie! }, redirect: 'manual' });
    expect(logout.status).toBe(303);
    expect(logout.headers.getSetCookie().some((c) => /^jobs_dashboard=;/.test(c))).toBe(true);
    // Logins after this one are issued after the logout marker (the test clock stands still).
    now += 1;
  });

  it('logs out from a link in Bull Board\'s header (GET), ending copies of the cookie too, on every replica via Redis', async () => {
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
    const page = await fetch(`${dashboard.url}/`, { headers: { cookie: cookie! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('"miscLinks":[{"text":"Logout","url":"/ops/queues/logout"}]');
    const copy = cookie!;
    const logout = await fetch(`${dashboard.url}/logout`, { headers: { cookie: cookie! }, redirect: 'manual' });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe('/ops/queues/login');
    expect(logout.headers.getSetCookie().some((c) => /^jobs_dashboard=;/.test(c))).toBe(true);
    // The copied cookie is refused, though still signed and unexpired.
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: copy } })).status).toBe(401);
    const redis = new Redis(url);
    try {
      const key = `${prefix}:dashboard:sessions-valid-after:${TEST_CREDENTIALS.viewer.user}`;
      expect(Number(await redis.get(key))).toBe(now);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    // A cross-site GET carries no SameSite=Strict cookie: it logs nobody out. Logging in again works.
    expect((await fetch(`${dashboard.url}/logout`, { redirect: 'manual' })).status).toBe(303);
    now += 1;
    const again = await logIn(dashboard, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: again.cookie! } })).status).toBe(200);
  });

  it('ignores an Authorization header of another scheme (an ingress\'s Basic auth): the session cookie decides', async () => {
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
    const basic = { authorization: `Basic ${Buffer.from('ingress:pass').toString('base64')}` };
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: { ...basic, cookie: cookie! } })).status).toBe(200);
    const without = await fetch(`${dashboard.url}/api/queues`, { headers: basic });
    expect(without.status).toBe(401);
    expect(await without.json()).toEqual({ error: 'authentication required' });
    // A Bearer header in any case is a token attempt, and a wrong one is refused beside the cookie.
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: { authorization: `bearer ${TEST_CREDENTIALS.viewerToken}` } })).status).toBe(200);
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: { authorization: 'BEARER wrong', cookie: cookie! } })).status).toBe(401);
  });

  it('ends a session at its expiry: the same cookie is refused once the TTL has passed', async () => {
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
    expect((await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: cookie! } })).status).toBe(200);
    now += 600_001;
    try {
      expect((await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: cookie! } })).status).toBe(401);
      const page = await fetch(`${dashboard.url}/`, { headers: { cookie: cookie! }, redirect: 'manual' });
      expect(page.status).toBe(302);
    } finally {
      now -= 600_001;
    }
  });

  it('never redirects outside the base path after login', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/ops/queues/../../elsewhere']) {
      const login = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password, { next });
      expect([next, login.location]).toEqual([next, '/ops/queues']);
    }
  });

  it('throttles failed logins per user and address: after 5 failures even the right password waits (429), other addresses do not', async () => {
    const ip = '10.1.2.3';
    for (let i = 0; i < 5; i += 1) expect((await logIn(dashboard, TEST_CREDENTIALS.admin.user, 'wrong', { forwardedFor: ip })).status).toBe(401);
    expect((await logIn(dashboard, TEST_CREDENTIALS.admin.user, 'wrong', { forwardedFor: ip })).status).toBe(401);
    const locked = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password, { forwardedFor: ip });
    expect(locked.status).toBe(429);
    expect(locked.cookie).toBeUndefined();
    expect((await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password, { forwardedFor: '10.9.9.9' })).status).toBe(303);
    // Logged without the password; the same generic answer for an unknown user.
    expect(dashboard.logs()).toContain('"msg":"login failed"');
    expect(dashboard.logs()).not.toContain('"wrong"');
    const unknown = await fetch(`${dashboard.url}/login`, { method: 'POST', body: new URLSearchParams({ user: 'nobody', password: 'x' }) });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('Wrong user name or password.');
  });

  it('stops a burst of concurrent guesses at the lockout too', async () => {
    const ip = '10.7.7.7';
    const answers = await Promise.all(Array.from({ length: 12 }, () => logIn(dashboard, TEST_CREDENTIALS.viewer.user, 'guess', { forwardedFor: ip })));
    const statuses = answers.map((a) => a.status).sort();
    // 5 free failures, the 6th starts the lockout; the rest wait their turn and find it locked.
    expect(statuses).toEqual([...Array(6).fill(401), ...Array(6).fill(429)]);
  });

  it('refuses every API write by a viewer with 403, whatever Bull Board would do, and the job stays failed', async () => {
    const [job] = await failJobs(prefix, seo, 1);
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
    for (const [method, path] of [
      ['PUT', `/api/queues/seo/${job.id}/retry`],
      ['PUT', '/api/queues/seo/retry/failed'],
      ['PUT', '/api/queues/seo/clean/failed'],
      ['PUT', '/api/queues/seo/pause'],
      ['POST', '/api/queues/seo/add'],
      ['DELETE', '/api/queues/seo/obliterate'],
    ] as const) {
      const res = await fetch(`${dashboard.url}${path}`, { method, headers: { cookie: cookie!, 'content-type': 'application/json' }, body: '{}' });
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    const viewerToken = await fetch(`${dashboard.url}/api/queues/seo/${job.id}/retry`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.viewerToken) });
    expect(viewerToken.status).toBe(403);
    // Express routes any case, doubled or trailing slashes and escapes alike: so must the guard.
    for (const [method, path] of [
      ['PUT', '/API/queues/seo/pause'],
      ['PUT', '/api/queues/SEO/PAUSE'],
      ['PUT', `/Api/Queues/seo/${job.id}/Retry/`],
      ['PUT', '//api//queues/seo/pause'],
      ['PUT', '/api/queues/seo/%70ause'],
      ['PUT', '/api/queues/seo/pause;x=1'],
      ['PATCH', `/api/queues/seo/${job.id}/Update-Data`],
      ['PUT', '/api/queues/pause'],
      ['POST', '/queue/seo'],
      ['OPTIONS', '/api/queues'],
    ] as const) {
      const res = await fetch(`${dashboard.url}${path}`, { method, headers: { cookie: cookie!, 'content-type': 'application/json' }, body: method === 'OPTIONS' ? undefined : '{}' });
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    const upper = await fetch(`${dashboard.origin}/OPS/QUEUES/API/queues/seo/pause`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.viewerToken) });
    expect(upper.status).toBe(403);
    expect(await seo.isPaused()).toBe(false);
    const read = await fetch(`${dashboard.url}/api/queues?activeQueue=seo&status=latest&page=1`, { headers: { cookie: cookie! } });
    const body = (await read.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...ALL_QUEUE_NAMES].sort());
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    expect(await job!.getState()).toBe('failed');
    await seo.obliterate({ force: true });
  });

  it('refuses an admin write whose Origin is another site; same-origin and Origin-less writes pass', async () => {
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
    const cross = await fetch(`${dashboard.url}/api/queues/seo/pause`, { method: 'PUT', headers: { cookie: cookie!, origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(await seo.isPaused()).toBe(false);
    const same = await fetch(`${dashboard.url}/api/queues/seo/pause`, { method: 'PUT', headers: { cookie: cookie!, origin: dashboard.origin } });
    expect(same.status).toBeLessThan(300);
    expect(await seo.isPaused()).toBe(true);
    const resume = await fetch(`${dashboard.url}/api/queues/seo/resume`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.adminToken) });
    expect(resume.status).toBeLessThan(300);
    expect(await seo.isPaused()).toBe(false);
    // Each write is logged with who made it.
    expect(dashboard.logs()).toContain(`"user":"${TEST_CREDENTIALS.admin.user}","role":"admin","method":"PUT","path":"/api/queues/seo/pause"`);
    expect(dashboard.logs()).toContain('"user":"admin-token","role":"admin","method":"PUT","path":"/api/queues/seo/resume"');
  });

  it('refuses to write job data from the browser, even for an admin: it holds masked data', async () => {
    const job = await seo.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com/', apiKey: 'real-key-1234' });
    const headers = { ...bearer(TEST_CREDENTIALS.adminToken), 'content-type': 'application/json' };
    const edit = await fetch(`${dashboard.url}/api/queues/seo/${job.id}/update-data`, { method: 'PUT', headers, body: JSON.stringify({ jobData: { apiKey: '[redacted]' } }) });
    expect(edit.status).toBe(403);
    const add = await fetch(`${dashboard.url}/api/queues/seo/add`, { method: 'POST', headers, body: JSON.stringify({ name: 'SEO_AUDIT', data: {} }) });
    expect(add.status).toBe(403);
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
    // Every spelling Express would still route (case, //, trailing /, escapes, ;params), token or session.
    for (const [method, path, body] of [
      ['POST', '/API/queues/seo/add', { name: 'SEO_AUDIT', data: { x: 1 } }],
      ['POST', '/api/queues/seo/ADD', { name: 'SEO_AUDIT', data: { x: 1 } }],
      ['POST', '/api/Queues/seo/Add/', { name: 'SEO_AUDIT', data: { x: 1 } }],
      ['POST', '//api/queues//seo/add', { name: 'SEO_AUDIT', data: { x: 1 } }],
      ['POST', '/api/queues/seo/%61dd', { name: 'SEO_AUDIT', data: { x: 1 } }],
      ['POST', '/api/queues/seo/add;v=1', { name: 'SEO_AUDIT', data: { x: 1 } }],
      ['PATCH', `/api/queues/seo/${job.id}/Update-Data`, { jobData: { x: 2 } }],
      ['PATCH', `/API/queues/seo/${job.id}/update-data/`, { jobData: { x: 2 } }],
      ['PUT', `/api/queues/seo/${job.id}/UPDATE-DATA`, { jobData: { x: 2 } }],
    ] as const) {
      for (const auth of [bearer(TEST_CREDENTIALS.adminToken), { cookie: cookie! }]) {
        const res = await fetch(`${dashboard.url}${path}`, { method, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect([method, path, res.status]).toEqual([method, path, 403]);
      }
    }
    const upper = await fetch(`${dashboard.origin}/OPS/Queues/api/queues/seo/ADD`, { method: 'POST', headers, body: JSON.stringify({ name: 'SEO_AUDIT', data: { x: 1 } }) });
    expect(upper.status).toBe(403);
    expect((await seo.getJob(job.id!))!.data.apiKey).toBe('real-key-1234');
    expect(await seo.count()).toBe(1);
    await seo.obliterate({ force: true });
  });

  it('masks secrets in job data, failure reasons and logs the API sends', async () => {
    const canary = 'canary-7f3a9c1e5b';
    const job = await seo.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com/', apiKey: canary, note: `Authorization: Bearer ${canary}` });
    await seo.addJobLog(job.id!, `calling with token=${canary}`);
    const res = await fetch(`${dashboard.url}/api/queues/seo/${job.id}`, { headers: bearer(TEST_CREDENTIALS.adminToken) });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('[redacted]');
    expect(text).toContain('https://example.com/');
    expect(text).not.toContain(canary);
    const logs = await fetch(`${dashboard.url}/api/queues/seo/${job.id}/logs`, { headers: bearer(TEST_CREDENTIALS.adminToken) });
    const logText = await logs.text();
    expect(logText).toContain('calling with token=');
    expect(logText).not.toContain(canary);
    await seo.obliterate({ force: true });
  });

  it('exports queue depth of every queue on the health port, and is ready', async () => {
    await seo.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com/', depth: 1 });
    await seo.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com/', depth: 1 }, { delay: 3_600_000 });
    const metrics = await (await fetch(`http://127.0.0.1:${dashboard.health.port}/metrics`)).text();
    expect(metrics).toContain('bullmq_queue_jobs{queue="seo",state="waiting"} 1');
    expect(metrics).toContain('bullmq_queue_jobs{queue="seo",state="delayed"} 1');
    for (const queue of ALL_QUEUE_NAMES) expect(metrics).toContain(`bullmq_queue_jobs{queue="${queue}",state="failed"}`);
    expect(metrics).toContain('process_cpu_user_seconds_total');
    await waitFor('/readyz 200', async () => (await fetch(`http://127.0.0.1:${dashboard.health.port}/readyz`)).status === 200, { timeoutMs: 20_000 });
  });
});

describe('dashboard login limits', () => {
  const prefix = uniquePrefix('dash-limits');
  let dashboard: TestDashboard;

  beforeAll(async () => {
    dashboard = await startTestDashboard({ prefix, throttle: new LoginThrottle({ userFreeFailures: 6, baseLockMs: 60_000 }), rateLimit: new LoginRateLimit() });
  });
  afterAll(async () => {
    await dashboard?.stop();
    await deletePrefix(url, prefix);
  });

  it('answers a flood of random user names from one address with 429 + Retry-After before scrypt; others still log in', async () => {
    const flood = Array.from({ length: 40 }, (_, i) => logIn(dashboard, `random-${i}-${Math.random()}`, 'x', { forwardedFor: '10.66.0.1' }));
    const legit = logIn(dashboard, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password, { forwardedFor: '10.66.0.2' });
    const answers = await Promise.all(flood);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s !== 429 && s !== 401)).toEqual([]);
    expect((await legit).status).toBe(303);
    // One after another, the address's burst (10) runs out too.
    let refused: Response | undefined;
    for (let i = 0; i < 11 && !refused; i += 1) {
      const res = await fetch(`${dashboard.url}/login`, { method: 'POST', body: new URLSearchParams({ user: `another-${i}`, password: 'x' }), headers: { 'x-forwarded-for': '10.66.0.1' } });
      await res.text();
      if (res.status === 429) refused = res;
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(dashboard.logs()).toContain('login refused: address over its rate limit');
  });

  it('gives no fresh budget for the same user to rotated X-Forwarded-For addresses or an IPv6 /64', async () => {
    const addresses = ['10.70.0.1', '10.70.0.2', '10.70.0.3', '2001:db8:0:1::1', '2001:db8:0:1::2', '2001:db8:0:1:ffff::3'];
    for (const ip of addresses) expect([ip, (await logIn(dashboard, TEST_CREDENTIALS.admin.user, 'guess', { forwardedFor: ip })).status]).toEqual([ip, 401]);
    expect((await logIn(dashboard, TEST_CREDENTIALS.admin.user, 'guess', { forwardedFor: '10.70.0.7' })).status).toBe(401);
    const locked = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password, { forwardedFor: '10.70.0.8' });
    expect(locked.status).toBe(429);
    expect(locked.cookie).toBeUndefined();
  });
});

describe('dashboard with Secure cookies (the default)', () => {
  it('sets the session only over https (X-Forwarded-Proto from a loopback proxy) and says why over plain http', async () => {
    const prefix = uniquePrefix('dash-secure');
    const dashboard = await startTestDashboard({ prefix, cookieSecure: true });
    try {
      const plain = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
      expect(plain.status).toBe(400);
      expect(plain.cookie).toBeUndefined();
      const proxied = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password, { forwardedProto: 'https' });
      expect(proxied.status).toBe(303);
      expect(proxied.setCookie.find((c) => c.startsWith('jobs_dashboard='))).toMatch(/; secure/i);
    } finally {
      await dashboard.stop();
      await deletePrefix(url, prefix);
    }
  });
});

describe('dashboard shutdown', () => {
  it('stops being ready, closes the UI server (keep-alive connections too) and the health server', async () => {
    const prefix = uniquePrefix('dash-stop');
    const dashboard = await startTestDashboard({ prefix, basePath: '/' });
    try {
      // A keep-alive connection held open by the client.
      const res = await fetch(`${dashboard.url}/login`, { headers: { connection: 'keep-alive' } });
      expect(res.status).toBe(200);
      await res.text();
      // Ready once its probe connection is up.
      await waitFor('ready', async () => (await dashboard.readiness()).ready, { timeoutMs: 20_000 });
      await dashboard.stop();
      expect(await dashboard.readiness()).toEqual({ ready: false, reasons: ['shutting down'] });
      await expect(fetch(`${dashboard.url}/login`)).rejects.toThrow();
      await expect(fetch(`http://127.0.0.1:${dashboard.health.port}/healthz`)).rejects.toThrow();
    } finally {
      await dashboard.stop();
      await deletePrefix(url, prefix);
    }
  });
});
