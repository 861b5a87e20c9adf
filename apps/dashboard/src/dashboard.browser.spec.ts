import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ALL_QUEUE_NAMES, closeQueues, configureProducers, getAllQueueStats, redisSettingsFromEnv, type QueueName } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { startTestDashboard, TEST_CREDENTIALS, type TestDashboard } from './test-support/start-test-dashboard';

// The dashboard as an operator uses it: Debian's chromium driven by playwright-core against the
// dashboard started in this process under /ops/queues, on the test Redis under a unique prefix
// with jobs in several states on several queues. Every response body the browser receives is
// kept and searched for a canary secret placed in job data, a failure message and a job log.

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CANARY = `canary-${Math.random().toString(36).slice(2)}-secret`;
const url = testRedisUrl();

/** Every response body a browser context received, as text. */
function collectBodies(context: BrowserContext): { bodies: () => Promise<{ url: string; text: string }[]> } {
  const pending: Promise<{ url: string; text: string }>[] = [];
  context.on('response', (response) => {
    pending.push(
      response.body().then(
        (body) => ({ url: response.url(), text: body.toString('utf8') }),
        () => ({ url: response.url(), text: '' }),
      ),
    );
  });
  return { bodies: () => Promise.all(pending) };
}

/** Requests of every page of the browser to anything but 127.0.0.1, and CSP reports in its consoles. */
const offsite: string[] = [];
const cspReports: string[] = [];
function watchOffsite(context: BrowserContext): void {
  context.on('request', (request) => {
    const target = new URL(request.url());
    if (target.protocol !== 'data:' && target.hostname !== '127.0.0.1') offsite.push(request.url());
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspReports.push(message.text());
  });
}

async function logInThroughForm(page: Page, dashboard: TestDashboard, user: string, password: string): Promise<void> {
  await page.goto(`${dashboard.url}/`);
  await page.waitForURL(/\/ops\/queues\/login\?next=/);
  await page.fill('#user', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/** The count each status tab of a queue's page shows (`WAITING` → 2; a tab without badge: 0). */
async function tabCounts(page: Page, dashboard: TestDashboard, queue: QueueName): Promise<Record<string, number>> {
  await page.goto(`${dashboard.url}/queue/${queue}`);
  await page.waitForSelector(`a[title="${queue}"]`);
  await page.waitForLoadState('networkidle');
  return page.$$eval('ul[class*="statusTabs"] li a', (links) => {
    const counts: Record<string, number> = {};
    for (const link of links) {
      const name = link.querySelector('span[data-text]')?.getAttribute('data-text') ?? '';
      const badge = link.querySelector('span[class*="badge"]')?.textContent ?? '0';
      counts[name] = Number(badge.replace(/[^0-9]/g, '') || '0');
    }
    return counts;
  });
}

describe('dashboard in a browser', () => {
  const prefix = uniquePrefix('dash-ui');
  let dashboard: TestDashboard;
  let browser: Browser;
  let shotDir: string;
  const queues = new Map<QueueName, Queue>();
  let seoWorker: Worker;
  const failedOnce = new Set<string>();
  let canaryJob: Job;
  let plainFailedJob: Job;

  async function runToEnd(queue: QueueName, jobs: number, processor: (job: Job) => Promise<unknown>): Promise<void> {
    const worker = new Worker(queue, processor, { connection: { url }, prefix });
    let settled = 0;
    await new Promise<void>((resolve) => {
      const done = () => {
        settled += 1;
        if (settled === jobs) resolve();
      };
      worker.on('completed', done);
      worker.on('failed', done);
    });
    await worker.close();
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
    shotDir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    for (const name of ALL_QUEUE_NAMES) queues.set(name, new Queue(name, { connection: { url }, prefix }));
    const q = (name: QueueName) => queues.get(name)!;
    await configureProducers({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });

    // email: 2 waiting, 1 delayed. voice: 1 waiting. ads: 1 prioritized, 1 delayed.
    await q('email').add('EMAIL_SYNC', { userId: 'u1' });
    await q('email').add('EMAIL_SYNC', { userId: 'u2' });
    await q('email').add('EMAIL_SYNC', { userId: 'u3' }, { delay: 3_600_000 });
    await q('voice').add('VOICE_CALL', { userId: 'u1' });
    await q('ads').add('AD_ANALYSIS', { userId: 'u1' }, { priority: 3 });
    await q('ads').add('AD_ANALYSIS', { userId: 'u2' }, { delay: 3_600_000 });
    // enrichment: 2 completed, 1 failed.
    await q('enrichment').add('LEAD_ENRICHMENT', { n: 1 });
    await q('enrichment').add('LEAD_ENRICHMENT', { n: 2 });
    await q('enrichment').add('LEAD_ENRICHMENT', { n: 3, fail: true });
    await runToEnd('enrichment', 3, async (job) => {
      if (job.data.fail) throw new Error('enrichment provider said no');
      return { enriched: job.data.n };
    });
    // workflow: 1 failed (the viewer's forged retry targets it), 1 completed.
    plainFailedJob = await q('workflow').add('WORKFLOW_EXECUTION', { step: 'a' });
    await q('workflow').add('WORKFLOW_EXECUTION', { step: 'b', ok: true });
    await runToEnd('workflow', 2, async (job) => {
      if (!job.data.ok) throw new Error('step a failed');
      return { done: true };
    });
    // seo: the canary job fails once (a secret in its data, failure message and log), then a
    // running worker completes it when retried.
    canaryJob = await q('seo').add('SEO_AUDIT', {
      userId: 'u1',
      websiteUrl: 'https://example.com/',
      apiKey: CANARY,
      note: `called with Authorization: Bearer ${CANARY}`,
    });
    seoWorker = new Worker(
      'seo',
      async (job) => {
        if (!failedOnce.has(job.id!)) {
          failedOnce.add(job.id!);
          await job.log(`requesting https://api.example/v1/audit with token=${CANARY}`);
          throw new Error(`audit API refused the request sent with Bearer ${CANARY}`);
        }
        return { pagesCrawled: 1, score: 90 };
      },
      { connection: { url }, prefix },
    );
    await waitFor('the canary job failed', async () => (await canaryJob.getState()) === 'failed', { timeoutMs: 30_000 });

    dashboard = await startTestDashboard({ prefix, basePath: '/ops/queues' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (...args) => {
      const context = await newContext(...args);
      watchOffsite(context);
      return context;
    };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await seoWorker?.close();
    await dashboard?.stop();
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await closeQueues();
    await deletePrefix(url, prefix);
  });

  it('refuses a visitor without login: pages go to the login form, the API answers 401', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${dashboard.url}/queue/seo`);
      expect(page.url()).toBe(`${dashboard.url}/login?next=%2Fops%2Fqueues%2Fqueue%2Fseo`);
      expect(await page.isVisible('form[action="/ops/queues/login"] #password')).toBe(true);
      const api = await context.request.get(`${dashboard.url}/api/queues`);
      expect(api.status()).toBe(401);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('keeps a wrong password on the login form with a generic message', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await logInThroughForm(page, dashboard, TEST_CREDENTIALS.admin.user, 'not-the-password');
      expect(page.url()).toBe(`${dashboard.url}/login`);
      expect(await page.textContent('.error')).toBe('Wrong user name or password.');
      expect((await context.request.get(`${dashboard.url}/api/queues`)).status()).toBe(401);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows an admin every queue with the counts getAllQueueStats gives, retries a failed job that then completes, and never shows the canary', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const received = collectBodies(context);
    try {
      const page = await context.newPage();
      await logInThroughForm(page, dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
      expect(page.url()).toBe(`${dashboard.url}/`);
      await page.waitForSelector('ul[class*="overview"] a[title="ads"]');
      const listed = await page.$$eval('ul[class*="overview"] a[title]', (links) => links.map((a) => a.getAttribute('title')));
      expect([...listed].sort()).toEqual([...ALL_QUEUE_NAMES].sort());

      const stats = await getAllQueueStats();
      // Jobs were put in several states on several queues: the comparison below is not of zeros.
      expect(stats.email).toMatchObject({ waiting: 2, delayed: 1 });
      expect(stats.ads).toMatchObject({ waiting: 1, delayed: 1 });
      expect(stats.enrichment).toMatchObject({ completed: 2, failed: 1 });
      expect(stats.seo).toMatchObject({ failed: 1 });
      for (const queue of ALL_QUEUE_NAMES) {
        const tabs = await tabCounts(page, dashboard, queue);
        const s = stats[queue];
        expect({
          queue,
          waiting: (tabs['WAITING'] ?? 0) + (tabs['PRIORITIZED'] ?? 0) + (tabs['WAITING CHILDREN'] ?? 0),
          active: tabs['ACTIVE'] ?? 0,
          completed: tabs['COMPLETED'] ?? 0,
          failed: tabs['FAILED'] ?? 0,
          delayed: tabs['DELAYED'] ?? 0,
        }).toEqual({ queue, waiting: s.waiting, active: s.active, completed: s.completed, failed: s.failed, delayed: s.delayed });
      }

      // Open the failed canary job, look at its data and logs, then retry it.
      await page.goto(`${dashboard.url}/queue/seo?status=failed`);
      await page.click(`a[href="/ops/queues/queue/seo/${canaryJob.id}?status=failed"]`);
      await page.waitForURL(new RegExp(`/queue/seo/${canaryJob.id}`));
      await page.waitForSelector('text=audit API refused the request');
      await page.click('button:has-text("Data")');
      await page.waitForSelector('text=example.com');
      await page.click('button:has-text("Logs")');
      await page.waitForSelector('text=requesting https://api.example/v1/audit');
      const shot = join(shotDir, 'dashboard-failed-job.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      process.stdout.write(`dashboard screenshot: ${shot}\n`);

      await page.click('ul[class*="jobActions"] button:has(svg.lucide-refresh-cw)');
      // Bull Board asks "Are you sure that you want to retry this job?".
      await page.waitForSelector('[role="alertdialog"] >> text=retry this job');
      await page.click('[role="alertdialog"] button:has-text("Confirm")');
      await waitFor('the retried job completed', async () => (await canaryJob.getState()) === 'completed', { timeoutMs: 30_000 });
      await page.goto(`${dashboard.url}/queue/seo?status=completed`);
      await page.waitForSelector(`a[href="/ops/queues/queue/seo/${canaryJob.id}?status=completed"]`, { timeout: 30_000 });

      const bodies = await received.bodies();
      expect(bodies.some((b) => b.url.includes(`/api/queues/seo/${canaryJob.id}/logs`))).toBe(true);
      expect(bodies.filter((b) => b.text.includes(CANARY)).map((b) => b.url)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('shows a viewer no retry button, refuses a forged retry with 403 and the job stays failed', async () => {
    const context = await browser.newContext();
    const received = collectBodies(context);
    try {
      const page = await context.newPage();
      await logInThroughForm(page, dashboard, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
      await page.goto(`${dashboard.url}/queue/workflow/${plainFailedJob.id}?status=failed`);
      await page.waitForSelector('text=step a failed');
      await page.waitForLoadState('networkidle');
      expect(await page.locator('button:has(svg.lucide-refresh-cw)').count()).toBe(0);
      await page.goto(`${dashboard.url}/queue/workflow?status=failed`);
      await page.waitForSelector(`a[href="/ops/queues/queue/workflow/${plainFailedJob.id}?status=failed"]`);
      expect(await page.locator('button:has-text("Retry all")').count()).toBe(0);
      expect(await page.locator('button:has(svg.lucide-refresh-cw)').count()).toBe(0);

      const forged = await context.request.put(`${dashboard.url}/api/queues/workflow/${plainFailedJob.id}/retry`, { headers: { origin: dashboard.origin } });
      expect(forged.status()).toBe(403);
      const forgedPost = await context.request.post(`${dashboard.url}/api/queues/workflow/${plainFailedJob.id}/retry`);
      expect(forgedPost.status()).toBe(403);
      expect(await plainFailedJob.getState()).toBe('failed');

      // The canary job, as a viewer sees it.
      await page.goto(`${dashboard.url}/queue/seo/${canaryJob.id}`);
      await page.waitForLoadState('networkidle');
      const bodies = await received.bodies();
      expect(bodies.filter((b) => b.text.includes(CANARY)).map((b) => b.url)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('logs out from the Logout item of Bull Board\'s header menu, and a copy of the cookie stops working too', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await logInThroughForm(page, dashboard, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
      await page.waitForSelector('ul[class*="overview"] a[title="seo"]');
      const copy = (await context.cookies()).filter((c) => c.name.startsWith('jobs_dashboard')).map((c) => `${c.name}=${c.value}`).join('; ');
      expect((await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: copy } })).status).toBe(200);
      // Bull Board puts uiConfig.miscLinks in a menu at the end of its header's actions.
      await page.locator('header ul li').last().locator('button').click();
      await Promise.all([page.waitForURL(`${dashboard.url}/login`), page.getByText('Logout', { exact: true }).click()]);
      expect(await page.isVisible('form[action="/ops/queues/login"] #password')).toBe(true);
      expect((await context.request.get(`${dashboard.url}/api/queues`)).status()).toBe(401);
      expect((await fetch(`${dashboard.url}/api/queues`, { headers: { cookie: copy } })).status).toBe(401);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('sends no request off 127.0.0.1 (no Google Fonts) and the CSP blocked nothing the UI needed', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await logInThroughForm(page, dashboard, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
      await page.waitForSelector('ul[class*="overview"] a[title="seo"]');
      await page.waitForLoadState('networkidle');
      const entry = await context.request.get(`${dashboard.url}/`);
      expect(entry.headers()['content-security-policy']).toContain("default-src 'self'");
      expect(await entry.text()).not.toContain('fonts.googleapis.com');
    } finally {
      await context.close();
    }
    // Over every test of this file: the pages opened, the logins, the retry, the logout.
    expect(offsite).toEqual([]);
    expect(cspReports).toEqual([]);
  }, 60_000);

  it('never sends the canary in direct API answers either', async () => {
    const headers = { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}` };
    for (const path of [
      '/api/queues?activeQueue=seo&status=latest&page=1',
      '/api/queues?activeQueue=seo&status=completed&page=1',
      `/api/queues/seo/${canaryJob.id}`,
      `/api/queues/seo/${canaryJob.id}/logs`,
    ]) {
      const res = await fetch(`${dashboard.url}${path}`, { headers });
      const text = await res.text();
      expect([path, res.status]).toEqual([path, 200]);
      expect([path, text.includes(CANARY)]).toEqual([path, false]);
    }
    // The canary is really there: Redis holds it, so the checks above could fail.
    const stored = await queues.get('seo')!.getJob(canaryJob.id!);
    expect(JSON.stringify(stored!.data)).toContain(CANARY);
    expect((await queues.get('seo')!.getJobLogs(canaryJob.id!)).logs.join('\n')).toContain(CANARY);
  });
});
