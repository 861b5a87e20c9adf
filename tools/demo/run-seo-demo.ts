import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, seoAuditProgressSchema, seoAuditResultSchema } from '@jobs/queue-contracts';
import { serveStaticDirectory, startTestServer } from '@jobs/test-support';
import { startDemoWorker, unlessWorkerDies, type DemoContext } from './demo-context';
import { formatAuditSummary } from './format-audit-summary';
import { progressLine } from './progress-line';
import { waitForJobResult } from './wait-for-job-result';

/** The sample site audited when no target is given. */
export const SAMPLE_SITE = join(__dirname, 'sample-site');

/** Options of the SEO part. */
export interface SeoDemoOptions {
  /** An http(s) URL, or a folder served on loopback. */
  readonly target: string;
  readonly depth: number;
  readonly maxPages: number;
}

/**
 * The SEO part: serves the target folder (if not a URL), starts the SEO worker, enqueues
 * SEO_AUDIT through the typed producer, prints progress and the summary.
 * @throws Error when the target is neither a URL nor a folder, or the worker dies.
 */
export async function runSeoDemo(ctx: DemoContext, options: SeoDemoOptions): Promise<void> {
  let websiteUrl: string;
  let servesLocally = false;
  if (/^https?:\/\//i.test(options.target)) {
    websiteUrl = options.target;
  } else {
    const folder = resolve(options.target);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`"${options.target}" is neither an http(s) URL nor a folder`);
    const server = await startTestServer(serveStaticDirectory(folder));
    ctx.onCleanup(() => server.close());
    websiteUrl = `${server.origin}/`;
    servesLocally = true;
    ctx.say(`serving ${folder} at ${websiteUrl}`);
  }

  const worker = await startDemoWorker(ctx, 'seo-worker', 'apps/seo-worker/src/main.ts', {
    SEO_MAX_PAGES: String(options.maxPages),
    // Loopback is refused by default (SSRF guard); the demo allows it only for its own server.
    SEO_ALLOW_PRIVATE_NETWORKS: servesLocally ? 'true' : 'false',
    // Short, so Ctrl-C stops a long audit within a few seconds (it is handed back, not lost).
    SHUTDOWN_TIMEOUT_MS: '3000',
  });

  const producer = new JobProducer({ redis: ctx.redisSettings, prefix: ctx.prefix });
  const events = new QueueEvents('seo', { connection: ioRedisOptions(ctx.redisSettings, 'worker'), prefix: ctx.prefix });
  ctx.onCleanup(() => producer.close());
  // On a Redis of the user's, leave nothing behind under this run's prefix.
  if (ctx.externalRedis) ctx.onCleanup(() => producer.queue('seo').obliterate({ force: true }));
  ctx.onCleanup(() => events.close());
  await events.waitUntilReady();
  const job = await producer.add('SEO_AUDIT', { userId: 'demo-user', websiteUrl, depth: options.depth, includeCompetitors: true });
  ctx.say(`enqueued SEO_AUDIT job ${job.id} for ${websiteUrl} (depth ${options.depth}, page cap ${options.maxPages})`);

  const tty = process.stdout.isTTY;
  let lastLine = '';
  let lastPrinted = 0;
  events.on('progress', ({ jobId, data }) => {
    if (jobId !== job.id) return;
    const parsed = seoAuditProgressSchema.safeParse(data);
    if (!parsed.success) return;
    const line = progressLine(parsed.data);
    if (tty) process.stdout.write(`\r\x1b[K  ${line}`);
    else if (line.split(':')[0] !== lastLine.split(':')[0] || Date.now() - lastPrinted > 2000) {
      ctx.say(`  ${line}`);
      lastPrinted = Date.now();
    }
    lastLine = line;
  });
  const raw = await unlessWorkerDies(worker, 'seo-worker', waitForJobResult(producer, job, events));
  if (tty) process.stdout.write('\n');
  ctx.say('');
  ctx.say(formatAuditSummary(seoAuditResultSchema.parse(raw)));
  ctx.say('');
}
