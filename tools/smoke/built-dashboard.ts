// The built dashboard runs alone: installed outside the repo (see built-app.ts), so Bull Board's
// UI must be served from the installed node_modules (the bundle keeps npm packages external and
// @bull-board/api finds @bull-board/ui at run time). It logs in with a bearer token, fetches the
// UI page, one static asset the page names and `/api/queues`; a page without login must go to
// the login form; `/metrics` on the health port must show queue depth; SIGTERM must exit 0.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { ALL_QUEUE_NAMES } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { check, installBuiltApp } from './built-app';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the dashboard's smoke test. @throws Error saying what failed. */
export async function smokeBuiltDashboard(): Promise<void> {
  const app = installBuiltApp('dashboard');
  const url = testRedisUrl();
  const prefix = uniquePrefix('built');
  const token = randomBytes(24).toString('base64url');
  const [port, healthPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}/ops/queues`;
  try {
    const dashboard = await app.start(
      {
        REDIS_URL: url,
        BULLMQ_PREFIX: prefix,
        DASHBOARD_HOST: '127.0.0.1',
        DASHBOARD_PORT: String(port),
        DASHBOARD_BASE_PATH: '/ops/queues',
        DASHBOARD_SESSION_SECRET: randomBytes(32).toString('hex'),
        DASHBOARD_ADMIN_TOKEN_SHA256: createHash('sha256').update(token).digest('hex'),
        HEALTH_HOST: '127.0.0.1',
        HEALTH_PORT: String(healthPort),
      },
      'dashboard started',
    );
    const auth = { authorization: `Bearer ${token}` };
    const login = await fetch(`${base}/`, { redirect: 'manual' });
    check(login.status === 302 && login.headers.get('location')?.startsWith('/ops/queues/login'), `a page without login answered ${login.status}, not a redirect to the login form`);
    const page = await fetch(`${base}/`, { headers: auth });
    const html = await page.text();
    check(page.status === 200 && html.includes('<base href="/ops/queues/"'), `the UI page answered ${page.status}:\n${html.slice(0, 300)}`);
    const asset = /(?:src|href)="(static\/[^"]+\.js)"/.exec(html)?.[1];
    check(asset, `the UI page names no static script:\n${html.slice(0, 600)}`);
    const script = await fetch(`${base}/${asset}`, { headers: auth });
    const scriptBytes = (await script.arrayBuffer()).byteLength;
    check(script.status === 200 && scriptBytes > 1000, `${asset} answered ${script.status} with ${scriptBytes} bytes`);
    const api = await fetch(`${base}/api/queues`, { headers: auth });
    const body = (await api.json()) as { queues?: { name: string }[] };
    const names = (body.queues ?? []).map((q) => q.name).sort();
    check(api.status === 200 && names.join() === [...ALL_QUEUE_NAMES].sort().join(), `/api/queues answered ${api.status} with queues ${names.join(', ')}`);
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    check(metrics.includes('bullmq_queue_jobs{queue="email",state="waiting"} 0'), `/metrics on the health port shows no queue depth:\n${metrics.slice(0, 400)}`);
    dashboard.child.kill('SIGTERM');
    const code = await dashboard.exited;
    check(code === 0, `the built dashboard exited ${code} on SIGTERM, not 0:\n${dashboard.stderr()}`);
    process.stdout.write(`built dashboard served its UI (${asset}, ${scriptBytes} bytes) and ${names.length} queues under /ops/queues, and exited 0\n`);
  } finally {
    await deletePrefix(url, prefix);
    app.remove();
  }
}
