import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { Job, QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv, seoAuditResultSchema } from '@jobs/queue-contracts';
import {
  deletePrefix,
  serveStaticDirectory,
  spawnWorkerProcess,
  startTestServer,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type TestServer,
  type WorkerProcess,
} from '@jobs/test-support';

// The SEO worker as it runs in production: its own process (main.ts), fed through Redis by
// the typed producer, auditing the real httpd manual served on loopback.
const SITE_ROOT = resolve(__dirname, '../../../../shared/fixtures/sites/httpd-manual');
const MAIN = 'apps/seo-worker/src/main.ts';

describe('seo-worker process', () => {
  const url = testRedisUrl();
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  let prefix: string;
  let producer: JobProducer;
  let events: QueueEvents;
  let site: TestServer;
  const procs: WorkerProcess[] = [];

  const startWorker = async (env: Record<string, string> = {}) => {
    const proc = spawnWorkerProcess(MAIN, {
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_PORT: '0',
      HEALTH_HOST: '127.0.0.1',
      SEO_ALLOW_PRIVATE_NETWORKS: 'true',
      SEO_MAX_PAGES: '2000',
      ...env,
    });
    procs.push(proc);
    await proc.waitForLine((l) => l['msg'] === 'worker started');
    return proc;
  };

  beforeAll(async () => {
    if (!existsSync(SITE_ROOT)) {
      throw new Error(`The httpd manual fixture is missing: expected ${SITE_ROOT} (../shared/fixtures beside the repo).`);
    }
  });

  beforeEach(async () => {
    prefix = uniquePrefix('seo');
    producer = new JobProducer({ redis, prefix });
    events = new QueueEvents('seo', { connection: ioRedisOptions(redis, 'worker'), prefix });
    await events.waitUntilReady();
  });

  afterEach(async () => {
    // Wait for each to be gone, so none writes under the prefix after it is deleted.
    for (const p of procs.splice(0)) {
      p.kill();
      await p.exited;
    }
    await site?.close();
    await Promise.all([producer.close(), events.close()]);
    await deletePrefix(url, prefix);
  });

  it('audits the httpd manual at depth 10, reporting progress, and returns a typed result', async () => {
    site = await startTestServer(serveStaticDirectory(SITE_ROOT));
    await startWorker();
    const progress: Record<string, unknown>[] = [];
    events.on('progress', ({ data }) => progress.push(data as Record<string, unknown>));
    const job = await producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: `${site.origin}/`, depth: 10 });
    const raw = await job.waitUntilFinished(events, 60_000);
    const result = seoAuditResultSchema.parse(raw);

    // The engine's own test checks every figure against the files; here: the job path.
    expect(result.pagesCrawled).toBeGreaterThan(262);
    expect(result.pageCapReached).toBe(false);
    expect(result.pages.filter((p) => p.status === 200)).toHaveLength(258);
    expect(result.competitors).toEqual({ requested: false, message: expect.any(String), results: [] });
    const phases = new Set(progress.map((p) => p['phase']));
    expect(phases).toEqual(new Set(['crawling', 'checking-links', 'done']));
    const crawled = progress.filter((p) => p['phase'] === 'crawling').map((p) => p['pagesCrawled'] as number);
    expect(crawled.length).toBeGreaterThan(3);
    expect(crawled).toEqual([...crawled].sort((a, b) => a - b));
    const stored = await Job.fromId(producer.queue('seo'), job.id!);
    expect(stored!.progress).toMatchObject({ phase: 'done', pagesCrawled: result.pagesCrawled });
  }, 90_000);

  it('says no competitors were given when includeCompetitors has no list', async () => {
    site = await startTestServer(serveStaticDirectory(SITE_ROOT));
    await startWorker();
    const job = await producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: `${site.origin}/`, depth: 0, includeCompetitors: true });
    const result = seoAuditResultSchema.parse(await job.waitUntilFinished(events, 30_000));
    expect(result.pagesCrawled).toBe(1);
    expect(result.competitors.requested).toBe(true);
    expect(result.competitors.message).toMatch(/no competitor/i);
  });

  it('refuses a loopback site unless configured to allow it, failing at once without retries', async () => {
    site = await startTestServer(serveStaticDirectory(SITE_ROOT));
    await startWorker({ SEO_ALLOW_PRIVATE_NETWORKS: 'false' });
    const port = new URL(site.origin).port;
    // The plain address, and the deprecated IPv4-compatible IPv6 spelling of it (::7f00:1).
    const plain = await producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: `${site.origin}/`, depth: 1 });
    const compat = await producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: `http://[::127.0.0.1]:${port}/`, depth: 1 });
    await expect(plain.waitUntilFinished(events, 30_000)).rejects.toThrow(/Refused to connect to 127\.0\.0\.1.*loopback/);
    await expect(compat.waitUntilFinished(events, 30_000)).rejects.toThrow(/Refused to connect to ::7f00:1.*loopback/);
    for (const job of [plain, compat]) {
      expect((await Job.fromId(producer.queue('seo'), job.id!))!.attemptsMade).toBe(1);
    }
    expect(site.requests).toEqual([]);
  });

  it('retries a site that answers 503 with backoff, then fails with the reason', async () => {
    site = await startTestServer((_req, res) => {
      res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' });
      res.end('down for maintenance');
    });
    await startWorker();
    const job = await producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: `${site.origin}/`, depth: 1 }, { attempts: 2 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/could not be fetched .*503.*retried with backoff/);
    const stored = (await Job.fromId(producer.queue('seo'), job.id!))!;
    expect(stored.attemptsMade).toBe(2);
    expect(site.requests.filter((r) => r.startsWith('GET /robots.txt')).length).toBe(2);
  }, 30_000);

  it('on kill -TERM mid-audit hands the job back, exits 0 within the timeout, and leaves nothing active', async () => {
    // Every response 40 ms late: the audit takes far longer than the 500 ms grace. The grace
    // aborts it; handing it back and closing have the rest of the 30 s timeout (a 3 s timeout
    // with its default 80 % grace left 600 ms for that, which a busy machine can overrun).
    const serve = serveStaticDirectory(SITE_ROOT);
    site = await startTestServer((req, res) => void setTimeout(() => serve(req, res), 40));
    const proc = await startWorker({ SHUTDOWN_GRACE_MS: '500', SHUTDOWN_TIMEOUT_MS: '30000' });
    const job = await producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: `${site.origin}/`, depth: 10 });
    await waitFor('audit to be crawling', async () => {
      const j = await Job.fromId(producer.queue('seo'), job.id!);
      return ((j?.progress as { pagesCrawled?: number })?.pagesCrawled ?? 0) > 20;
    }, { timeoutMs: 30_000 });
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    if (exit.code !== 0) console.log(proc.stderr(), proc.lines.slice(-8));
    // Exit 0 is the proof that shutdown finished within SHUTDOWN_TIMEOUT_MS: past it the
    // process force-exits with 1.
    expect(exit.code).toBe(0);
    const stats = await producer.getQueueStats('seo');
    expect(stats.active).toBe(0);
    const stored = (await Job.fromId(producer.queue('seo'), job.id!))!;
    expect(['waiting', 'delayed', 'completed']).toContain(await stored.getState());
    expect(stored.attemptsMade).toBe(0);
  }, 120_000);
});

