// `npm run bench:enrichment [-- <leads> <batchSize>]` (default 1000 leads in batches of 5)
//
// Runs LEAD_ENRICHMENT through real enrichment worker processes, first one and then two sharing
// one Redis, each time against a fresh local Apify server that answers 429 beyond 10 requests in
// any second, and prints what the server observed: the request rate overall and in the busiest
// second, and the 429s. The worker's limit (ENRICHMENT_MAX_API_CALLS_PER_SECOND, default 10)
// holds for every process together (a Redis-backed limiter), so both runs must stay at or under
// 10/s with no 429. The leads go as four jobs, so that two processes (concurrency 2 each) both
// have work at once.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { busiestSecond, leadEnrichmentActor, spawnWorkerProcess, startFakeApifyServer, startThrowawayRedis } from '@jobs/test-support';

const say = (line: string) => process.stdout.write(`${line}\n`);
const JOBS = 4;

/** What one run observed. */
interface Observed {
  readonly processes: number;
  readonly leadsAccounted: number;
  readonly runs: number;
  readonly requests: number;
  readonly spanSecs: number;
  readonly busiest: number;
  readonly rateLimited: number;
  readonly jobSecs: number;
}

async function runWith(processes: number, leadCount: number, batchSize: number): Promise<Observed> {
  const redis = await startThrowawayRedis();
  const apify = await startFakeApifyServer({ token: 'bench-token', rateLimitPerSecond: 10 });
  apify.addActor('bench~lead-enricher', { run: leadEnrichmentActor(), durationMs: 200 });
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const env = {
    REDIS_URL: redis.url,
    BULLMQ_PREFIX: prefix,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
    APIFY_BASE_URL: apify.baseUrl,
    APIFY_TOKEN: 'bench-token',
    APIFY_ACTOR_ID: 'bench~lead-enricher',
  };
  const workers = Array.from({ length: processes }, () => spawnWorkerProcess('apps/enrichment-worker/src/main.ts', env));
  const queue = new Queue('enrichment', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: redis.url }), 'producer'), prefix });
  try {
    await Promise.all(workers.map((w) => w.waitForLine((l) => l['msg'] === 'worker started', 30_000)));
    const leads = Array.from({ length: leadCount }, (_, i) => ({ id: `lead-${i}`, email: `person${i}@acme-${i % 17}.example` }));
    const perJob = Math.ceil(leadCount / JOBS);
    say(`${processes} worker process(es): ${leadCount} leads as ${JOBS} jobs in batches of ${batchSize}`);
    const started = Date.now();
    const jobs = await Promise.all(
      Array.from({ length: JOBS }, (_, j) => queue.add('LEAD_ENRICHMENT', { userId: `bench-${j}`, leads: leads.slice(j * perJob, (j + 1) * perJob), batchSize })),
    );
    let lastReport = Date.now();
    for (;;) {
      const current = await Promise.all(jobs.map((j) => queue.getJob(j.id as string)));
      const failed = current.find((j) => j?.failedReason);
      if (failed) throw new Error(`job failed: ${failed.failedReason}`);
      if (current.every((j) => j?.finishedOn)) break;
      if (Date.now() - lastReport > 5000) {
        say(`  ${apify.runs.length} runs, ${apify.requests.length} requests in ${((Date.now() - started) / 1000).toFixed(0)} s, 429s so far: ${apify.rateLimited}`);
        lastReport = Date.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const jobSecs = (Date.now() - started) / 1000;
    const results = await Promise.all(jobs.map(async (j) => (await queue.getJob(j.id as string))?.returnvalue as { outcomes: unknown[] }));
    const busyProcesses = workers.filter((w) => w.lines.some((l) => l['msg'] === 'leads enriched')).length;
    if (busyProcesses < processes) say(`  note: only ${busyProcesses} of ${processes} processes finished a job`);
    const times = apify.requests.map((r) => r.at);
    return {
      processes,
      leadsAccounted: results.reduce((n, r) => n + r.outcomes.length, 0),
      runs: apify.runs.length,
      requests: times.length,
      spanSecs: (Math.max(...times) - Math.min(...times)) / 1000,
      busiest: busiestSecond(times),
      rateLimited: apify.rateLimited,
      jobSecs,
    };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await queue.close();
    await apify.close();
    await redis.stop();
  }
}

async function main(): Promise<void> {
  const leadCount = Number(process.argv[2] ?? 1000);
  const batchSize = Number(process.argv[3] ?? 5);
  say(`enrichment rate benchmark: worker limit 10 calls/s shared by every process, server refuses beyond 10/s`);
  const observed = [await runWith(1, leadCount, batchSize), await runWith(2, leadCount, batchSize)];
  say('');
  say('processes | leads accounted | actor runs | requests | span s | req/s overall | busiest second | 429s | job time s');
  for (const o of observed) {
    say(
      [
        String(o.processes).padStart(9),
        `${o.leadsAccounted} / ${leadCount}`.padStart(15),
        String(o.runs).padStart(10),
        String(o.requests).padStart(8),
        o.spanSecs.toFixed(1).padStart(6),
        (o.requests / o.spanSecs).toFixed(2).padStart(13),
        `${o.busiest} (limit 10)`.padStart(14),
        String(o.rateLimited).padStart(4),
        o.jobSecs.toFixed(1).padStart(10),
      ].join(' | '),
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
