import { Queue } from 'bullmq';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { startTestDashboard, TEST_CREDENTIALS, type TestDashboard } from './test-support/start-test-dashboard';

// Refused writes over real HTTP: each gets one `dashboard write refused` warn line, and a flood
// from one address gets at most 10 lines a minute, then a line saying how many were left out.

const url = testRedisUrl();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Line {
  msg: string;
  level: number;
  user?: string;
  role?: string;
  method?: string;
  path?: string;
  status?: number;
  reason?: string;
  suppressed?: number;
}

describe('dashboard log of refused writes', () => {
  const prefix = uniquePrefix('dash-refused');
  let dashboard: TestDashboard;
  let now = Date.now();
  const refused = (): Line[] =>
    dashboard
      .logs()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.msg === 'dashboard write refused');

  beforeAll(async () => {
    dashboard = await startTestDashboard({ prefix, now: () => now });
  });

  afterAll(async () => {
    await dashboard?.stop();
    await deletePrefix(url, prefix);
  });

  it('logs a viewer\'s forged write, a cross-origin admin write and a masked-data write with who, what, status and why; a flood costs 10 lines a minute', async () => {
    const seo = new Queue('seo', { connection: { url }, prefix });
    try {
      const viewer = await fetch(`${dashboard.url}/API/queues/SEO/pause/`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.viewerToken) });
      expect(viewer.status).toBe(403);
      const cross = await fetch(`${dashboard.url}/api/queues/seo/pause`, { method: 'PUT', headers: { ...bearer(TEST_CREDENTIALS.adminToken), origin: 'https://evil.example' } });
      expect(cross.status).toBe(403);
      const data = await fetch(`${dashboard.url}/api/queues/seo/add`, { method: 'POST', headers: { ...bearer(TEST_CREDENTIALS.adminToken), 'content-type': 'application/json' }, body: '{}' });
      expect(data.status).toBe(403);
      // A refused GET is not a write; an accepted write is not refused.
      expect((await fetch(`${dashboard.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).status).toBe(200);
      expect((await fetch(`${dashboard.url}/api/queues/seo/resume`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.adminToken) })).status).toBeLessThan(300);
      expect(await seo.isPaused()).toBe(false);

      expect(refused()).toEqual([
        expect.objectContaining({ level: 40, user: 'viewer-token', role: 'viewer', method: 'PUT', path: '/api/queues/seo/pause', status: 403, reason: 'viewer is read-only' }),
        expect.objectContaining({ user: 'admin-token', role: 'admin', method: 'PUT', path: '/api/queues/seo/pause', status: 403, reason: 'cross-origin' }),
        expect.objectContaining({ user: 'admin-token', role: 'admin', method: 'POST', path: '/api/queues/seo/add', status: 403, reason: 'job data is masked here' }),
      ]);

      // A flood of 40 forged writes from the same address: 7 more lines fill the minute's 10.
      for (let i = 0; i < 40; i += 1) {
        const res = await fetch(`${dashboard.url}/api/queues/seo/pause`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.viewerToken) });
        expect(res.status).toBe(403);
      }
      expect(refused()).toHaveLength(10);
      expect(await seo.isPaused()).toBe(false);
      // A minute later the next refusal is logged with the count left out.
      now += 60_000;
      await fetch(`${dashboard.url}/api/queues/seo/pause`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.viewerToken) });
      expect(refused()).toHaveLength(11);
      expect(refused()[10]).toMatchObject({ user: 'viewer-token', status: 403, suppressed: 33 });
      expect(dashboard.logs()).not.toContain(TEST_CREDENTIALS.viewerToken);
    } finally {
      await seo.close();
    }
  });
});
