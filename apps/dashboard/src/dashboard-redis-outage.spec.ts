import { Redis } from 'ioredis';
import { freePort, startThrowawayRedis, waitFor, type ThrowawayRedis } from '@jobs/test-support';
import { bearer, callDashboard as call, CLIENT_TIMEOUT_MS } from './test-support/call-dashboard';
import { logIn, startTestDashboard, TEST_CREDENTIALS, type TestDashboard } from './test-support/start-test-dashboard';

// The dashboard on a standalone Redis that is away (nothing listens) or holds the connection open
// without answering (a frozen server): Bull Board API calls by bearer token get a 503 with a
// short JSON error instead of waiting forever, as a cookie session's already did.

describe('dashboard with its standalone Redis unreachable', () => {
  let dashboard: TestDashboard | undefined;

  afterAll(async () => {
    await dashboard?.stop();
  });

  it('answers Bull Board API calls 503 at once, by bearer token as by cookie; pages as usual; not ready', async () => {
    const closed = await freePort();
    dashboard = await startTestDashboard({ prefix: 'dash-unreachable', redisEnv: { REDIS_URL: `redis://127.0.0.1:${closed}` } });
    const noConnection = { status: 503, retryAfter: '5', body: { error: 'queues unavailable: no connection to Redis' } };
    expect(await call(`${dashboard.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).toEqual(noConnection);
    expect(await call(`${dashboard.url}/api/queues/email/1/retry/failed`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.adminToken) })).toEqual(noConnection);
    expect(await call(`${dashboard.url}/Api/Queues/email`, { headers: bearer(TEST_CREDENTIALS.adminToken) })).toEqual(noConnection);
    // Still refused before Redis is asked: a bad token 401, a viewer's write 403.
    expect((await call(`${dashboard.url}/api/queues`, { headers: bearer('not-a-token-of-this-dashboard') })).status).toBe(401);
    expect((await call(`${dashboard.url}/api/queues/email/pause`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.viewerToken) })).status).toBe(403);
    // A cookie session meets its logout-marker check first (unchanged).
    const { cookie } = await logIn(dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
    expect(await call(`${dashboard.url}/api/queues`, { headers: { cookie: cookie! } })).toEqual({
      status: 503,
      retryAfter: '5',
      body: { error: 'session check unavailable: Redis does not answer' },
    });
    const page = await fetch(`${dashboard.url}/`, { headers: bearer(TEST_CREDENTIALS.viewerToken), signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const ready = (await call(`http://127.0.0.1:${dashboard.health.port}/readyz`)) as { status: number; body: { reasons: string[] } };
    expect(ready.status).toBe(503);
    expect(ready.body.reasons).toEqual([expect.stringMatching(/^redis (connecting|reconnecting|close|end|wait)$/)]);
  });
});

describe('dashboard with its standalone Redis frozen (connection open, no answer)', () => {
  let server: ThrowawayRedis;
  let pid: number;
  let dashboard: TestDashboard | undefined;
  const ceiling = { readMs: 500, writeMs: 700 };

  beforeAll(async () => {
    server = await startThrowawayRedis();
    const client = new Redis(server.url);
    pid = Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
    client.disconnect();
    dashboard = await startTestDashboard({ prefix: 'dash-frozen', redisEnv: { REDIS_URL: server.url }, boardAnswerCeiling: ceiling });
  });

  afterAll(async () => {
    if (pid) process.kill(pid, 'SIGCONT');
    await dashboard?.stop();
    await server?.stop();
  });

  it('answers an API call Bull Board has not answered within the ceiling 503, drops Bull Board\'s late answer, and serves again once Redis answers', async () => {
    // Every queue connection is ready: the list answers.
    await waitFor('the queue list answered', async () => (await call(`${dashboard!.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).status === 200, { timeoutMs: 30_000 });
    process.kill(pid, 'SIGSTOP');
    try {
      // The connection stays up, so the gate lets the calls through; nothing answers them.
      expect(await call(`${dashboard!.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).toEqual({
        status: 503,
        retryAfter: '5',
        body: { error: 'queues unavailable: Redis did not answer within 500 ms' },
      });
      expect(await call(`${dashboard!.url}/api/queues/email/pause`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.adminToken) })).toEqual({
        status: 503,
        retryAfter: '5',
        body: { error: 'queues unavailable: Redis did not answer within 700 ms; the change may still be applied' },
      });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Bull Board's answers come once Redis does: dropped, said in the log; the write went through.
    await waitFor('the late answers dropped', () => dashboard!.logs().split('\n').filter((line) => line.includes('its answer was dropped')).length === 2, { timeoutMs: 30_000 });
    const client = new Redis(server.url);
    try {
      await waitFor('the email queue paused by the late write', async () => (await client.hexists('dash-frozen:email:meta', 'paused')) === 1, { timeoutMs: 30_000 });
    } finally {
      client.disconnect();
    }
    expect(dashboard!.logs()).toContain('"status":503,"msg":"dashboard write"');
    expect(await call(`${dashboard!.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).toMatchObject({ status: 200 });
    // Nothing of the dropped answers reached the app's error handler.
    expect(dashboard!.logs()).not.toContain('request failed');
  });
});
