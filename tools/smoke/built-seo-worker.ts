// The built SEO worker runs alone: installed outside the repo (see built-app.ts), it audits the
// sample site through Redis; then SIGTERM must exit 0.
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv, seoAuditResultSchema } from '@jobs/queue-contracts';
import { deletePrefix, serveStaticDirectory, startTestServer, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { check, installBuiltApp, ROOT } from './built-app';
import { waitForJobResult } from '../demo/wait-for-job-result';

/** Runs the SEO worker's smoke test. @throws Error saying what failed. */
export async function smokeBuiltSeoWorker(): Promise<void> {
  const app = installBuiltApp('seo-worker');
  const url = testRedisUrl();
  const prefix = uniquePrefix('built');
  const site = await startTestServer(serveStaticDirectory(join(ROOT, 'tools/demo/sample-site')));
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis, prefix });
  const events = new QueueEvents('seo', { connection: ioRedisOptions(redis, 'worker'), prefix });
  try {
    const worker = await app.start({ REDIS_URL: url, BULLMQ_PREFIX: prefix, HEALTH_PORT: '0', SEO_ALLOW_PRIVATE_NETWORKS: 'true' });
    await events.waitUntilReady();
    const job = await producer.add('SEO_AUDIT', { userId: 'smoke', websiteUrl: `${site.origin}/`, depth: 3 });
    const result = seoAuditResultSchema.parse(await waitForJobResult(producer, job, events, 60_000));
    check(result.pagesCrawled === 8, `expected 8 pages crawled from the sample site, got ${result.pagesCrawled}`);
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    check(code === 0, `the built seo-worker exited ${code} on SIGTERM, not 0:\n${worker.stderr()}`);
    process.stdout.write(`built seo-worker audited ${result.pagesCrawled} pages (score ${result.score}) and exited 0\n`);
  } finally {
    await Promise.all([producer.close(), events.close(), site.close()]);
    await deletePrefix(url, prefix);
    app.remove();
  }
}
