// The built enrichment worker runs alone (see built-app.ts): it enriches 12 leads through the
// local Apify server, and exits 0 on SIGTERM.
import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, leadEnrichmentResultSchema, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, leadEnrichmentActor, startFakeApifyServer, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { check, installBuiltApp } from './built-app';
import { waitForJobResult } from '../demo/wait-for-job-result';

/** Runs the enrichment worker's smoke test. @throws Error saying what failed. */
export async function smokeBuiltEnrichmentWorker(): Promise<void> {
  const app = installBuiltApp('enrichment-worker');
  const url = testRedisUrl();
  const prefix = uniquePrefix('built-enrich');
  const apify = await startFakeApifyServer({ token: 'apify-smoke', rateLimitPerSecond: 10 });
  apify.addActor('smoke~enricher', { run: leadEnrichmentActor(), durationMs: 50 });
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis, prefix });
  const events = new QueueEvents('enrichment', { connection: ioRedisOptions(redis, 'worker'), prefix });
  try {
    const worker = await app.start({
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_PORT: '0',
      APIFY_BASE_URL: apify.baseUrl,
      APIFY_TOKEN: 'apify-smoke',
      APIFY_ACTOR_ID: 'smoke~enricher',
    });
    await events.waitUntilReady();
    const leads = Array.from({ length: 12 }, (_, i) => ({ id: `l${i}`, email: `p${i}@acme.example` }));
    const job = await producer.add('LEAD_ENRICHMENT', { userId: 'smoke', leads, batchSize: 5 });
    const result = leadEnrichmentResultSchema.parse(await waitForJobResult(producer, job, events, 60_000));
    check(result.totals.enriched === 12 && apify.runs.length === 3, `expected 12 enriched in 3 runs, got ${JSON.stringify(result.totals)} in ${apify.runs.length}`);
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    check(code === 0, `the built enrichment-worker exited ${code} on SIGTERM, not 0:\n${worker.stderr()}`);
    process.stdout.write(`built enrichment-worker enriched ${result.totals.enriched} leads in ${apify.runs.length} actor runs and exited 0\n`);
  } finally {
    await Promise.all([producer.close(), events.close(), apify.close()]);
    await deletePrefix(url, prefix);
    app.remove();
  }
}
