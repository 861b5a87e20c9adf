// `npm run bench:enrichment [-- <leads> <batchSize>]` (default 1000 leads in batches of 5)
//
// Runs LEAD_ENRICHMENT through the real enrichment worker process against a local Apify server
// that answers 429 beyond 10 requests in any second, and prints what the server observed: the
// request rate overall and in the busiest second, and the 429s. The worker's limit
// (ENRICHMENT_MAX_API_CALLS_PER_SECOND, default 10) must keep it at or under 10/s with no 429.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { busiestSecond, leadEnrichmentActor, spawnWorkerProcess, startFakeApifyServer, startThrowawayRedis } from '@jobs/test-support';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const leadCount = Number(process.argv[2] ?? 1000);
  const batchSize = Number(process.argv[3] ?? 5);
  const redis = await startThrowawayRedis();
  const apify = await startFakeApifyServer({ token: 'bench-token', rateLimitPerSecond: 10 });
  apify.addActor('bench~lead-enricher', { run: leadEnrichmentActor(), durationMs: 200 });
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const worker = spawnWorkerProcess('apps/enrichment-worker/src/main.ts', {
    REDIS_URL: redis.url,
    BULLMQ_PREFIX: prefix,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'warn',
    APIFY_BASE_URL: apify.baseUrl,
    APIFY_TOKEN: 'bench-token',
    APIFY_ACTOR_ID: 'bench~lead-enricher',
  });
  const queue = new Queue('enrichment', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: redis.url }), 'producer'), prefix });
  try {
    await worker.waitForLine(() => true, 30_000).catch(() => undefined);
    const leads = Array.from({ length: leadCount }, (_, i) => ({ id: `lead-${i}`, email: `person${i}@acme-${i % 17}.example` }));
    say(`enrichment rate benchmark: ${leadCount} leads in batches of ${batchSize}, worker limit 10 calls/s, server refuses beyond 10/s`);
    const started = Date.now();
    const job = await queue.add('LEAD_ENRICHMENT', { userId: 'bench', leads, batchSize });
    let lastReport = 0;
    for (;;) {
      const current = await queue.getJob(job.id as string);
      if (current?.finishedOn) {
        if (current.failedReason) throw new Error(`job failed: ${current.failedReason}`);
        break;
      }
      if (Date.now() - lastReport > 5000) {
        const p = (current?.progress ?? {}) as { batchesDone?: number; batches?: number };
        const seconds = (Date.now() - started) / 1000;
        say(`  ${p.batchesDone ?? 0}/${p.batches ?? Math.ceil(leadCount / batchSize)} batches, ${apify.requests.length} requests in ${seconds.toFixed(0)} s, 429s so far: ${apify.rateLimited}`);
        lastReport = Date.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - started) / 1000;
    const result = (await queue.getJob(job.id as string))?.returnvalue as { outcomes: unknown[]; totals: Record<string, number> };
    const times = apify.requests.map((r) => r.at);
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    say('');
    say(`leads accounted for     ${result.outcomes.length} / ${leadCount}  (${JSON.stringify(result.totals)})`);
    say(`actor runs started      ${apify.runs.length} (batches: ${Math.ceil(leadCount / batchSize)})`);
    say(`requests                ${times.length} in ${span.toFixed(1)} s`);
    say(`observed rate           ${(times.length / span).toFixed(2)} requests/s overall, ${busiestSecond(times)} in the busiest second (limit 10)`);
    say(`429 answers             ${apify.rateLimited}`);
    say(`job time                ${seconds.toFixed(1)} s`);
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
    await queue.close();
    await apify.close();
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
