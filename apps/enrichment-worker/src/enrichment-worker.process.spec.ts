import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, spawnWorkerProcess, testRedisUrl, uniquePrefix, waitFor, type FakeApifyServer, type WorkerProcess } from '@jobs/test-support';
import { ACTOR_ID, enrichmentEnv, makeLeads, startApifyFake } from './test-support/enrichment-harness';

const url = testRedisUrl();

describe('enrichment-worker processes', () => {
  let apify: FakeApifyServer;
  let prefix: string;
  let redis: Redis;
  let queue: Queue;
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.kill();
      await w.exited;
    }
    await queue.close();
    await redis.quit();
    await apify.close();
    await deletePrefix(url, prefix);
  });

  it('the restarted worker runs only the batches that had not finished (counted on the Apify server)', async () => {
    apify = await startApifyFake({ durationMs: 250 });
    prefix = uniquePrefix('enrich-kill');
    redis = new Redis(url);
    queue = new Queue('enrichment', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'producer'), prefix });
    const env = enrichmentEnv(apify, prefix, { LOG_LEVEL: 'info', WORKER_LOCK_DURATION_MS: '2000' });
    const start = () => {
      const w = spawnWorkerProcess('apps/enrichment-worker/src/main.ts', env);
      workers.push(w);
      return w;
    };
    const first = start();
    await first.waitForLine((l) => l['msg'] === 'worker started', 30_000);
    const leads = makeLeads(100);
    const job = await queue.add('LEAD_ENRICHMENT', { userId: 'u1', leads, batchSize: 5 });
    // 20 batches, run one after another. The server holds each start answer until the test lets
    // it go, so the kill lands after half the batches however late this process is scheduled:
    // ten go through; the 11th is let through and killed while the worker waits on that run;
    // a 12th start, if the worker gets that far before the kill, is held unanswered.
    const startRuns = { method: 'POST', pathPattern: /\/runs$/ };
    for (let i = 0; i < 10; i += 1) {
      const held = apify.holdNext(startRuns);
      await held.reached;
      held.release();
    }
    const eleventh = apify.holdNext(startRuns);
    const twelfth = apify.holdNext(startRuns);
    await eleventh.reached;
    eleventh.release();
    const waitedOn = apify.runs[10]?.id as string;
    await waitFor('the worker to wait on the 11th run', () => apify.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/actor-runs/${waitedOn}`)), { timeoutMs: 60_000 });
    first.kill();
    await first.exited;
    twelfth.release();
    const startedBeforeKill = apify.runsStarted(ACTOR_ID);
    expect(startedBeforeKill).toBeGreaterThanOrEqual(11);
    expect(startedBeforeKill).toBeLessThanOrEqual(12);

    start();
    await waitFor('the job to finish after the restart', async () => (await queue.getJob(job.id as string))?.finishedOn, { timeoutMs: 60_000 });
    const done = await queue.getJob(job.id as string);
    expect(done?.failedReason).toBeUndefined();
    const result = done?.returnvalue as { outcomes: { leadId: string }[]; totals: Record<string, number> };
    expect(result.outcomes.map((o) => o.leadId)).toEqual(leads.map((l) => l.id));
    // Exactly one run per batch over both processes: finished batches were not run again, and
    // the batch in flight at the kill was waited on, not started again.
    expect(apify.runsStarted(ACTOR_ID)).toBe(20);
  }, 120_000);

  it('killed between Apify starting a run and the worker recording it, the restarted worker waits on that run: one run per batch', async () => {
    apify = await startApifyFake({ durationMs: 200 });
    prefix = uniquePrefix('enrich-kill2');
    redis = new Redis(url);
    queue = new Queue('enrichment', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'producer'), prefix });
    const env = enrichmentEnv(apify, prefix, { LOG_LEVEL: 'info', WORKER_LOCK_DURATION_MS: '2000' });
    const start = async () => {
      const w = spawnWorkerProcess('apps/enrichment-worker/src/main.ts', env);
      workers.push(w);
      await w.waitForLine((l) => l['msg'] === 'worker started', 30_000);
      return w;
    };
    const first = await start();
    const held = apify.holdNext({ method: 'POST', pathPattern: /\/runs$/ });
    const job = await queue.add('LEAD_ENRICHMENT', { userId: 'u1', leads: makeLeads(10), batchSize: 5 });
    await held.reached;
    first.kill();
    await first.exited;
    held.release();
    await start();
    await waitFor('the job to finish after the restart', async () => (await queue.getJob(job.id as string))?.finishedOn, { timeoutMs: 30_000 });
    expect((await queue.getJob(job.id as string))?.failedReason).toBeUndefined();
    expect(apify.runsStarted(ACTOR_ID)).toBe(2);
  }, 60_000);

  it('two worker processes against one Apify server that allows 10/s: no 429, every lead accounted for, both processes working', async () => {
    // Each process alone keeps itself at 10/s, so two that did not share the limit would send
    // about 19/s and meet 429s. The server counts what reaches it in a sliding window and
    // forgives an 11th call up to 150 ms early (as the e2e test: between leaving the limiter
    // and being counted, a request passes the client's interceptors and the loopback socket
    // of a busy machine): zero 429s is "at most 10 calls in any 850 ms" by the server's clock.
    apify = await startApifyFake({ rateLimitPerSecond: 10, rateLimitSlackMs: 150, durationMs: 20 });
    prefix = uniquePrefix('enrich-shared-rate');
    redis = new Redis(url);
    queue = new Queue('enrichment', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'producer'), prefix });
    const env = enrichmentEnv(apify, prefix, { LOG_LEVEL: 'info' });
    for (let i = 0; i < 2; i += 1) workers.push(spawnWorkerProcess('apps/enrichment-worker/src/main.ts', env));
    await Promise.all(workers.map((w) => w.waitForLine((l) => l['msg'] === 'worker started', 30_000)));

    // Eight jobs for four slots (concurrency 2 per process): both processes stay busy together.
    const jobs = await Promise.all(
      Array.from({ length: 8 }, (_, j) => queue.add('LEAD_ENRICHMENT', { userId: `u${j}`, leads: makeLeads(10, j * 10), batchSize: 5 })),
    );
    await waitFor('every job to finish', async () => (await Promise.all(jobs.map((j) => queue.getJob(j.id as string)))).every((j) => j?.finishedOn), {
      timeoutMs: 110_000,
    });
    for (const [j, job] of jobs.entries()) {
      const done = await queue.getJob(job.id as string);
      expect(done?.failedReason).toBeUndefined();
      const result = done?.returnvalue as { outcomes: { leadId: string }[] };
      expect(result.outcomes.map((o) => o.leadId)).toEqual(makeLeads(10, j * 10).map((l) => l.id));
    }
    // Both processes enriched leads, so both called Apify in the same stretch of time.
    for (const w of workers) expect(w.lines.filter((l) => l['msg'] === 'leads enriched').length).toBeGreaterThanOrEqual(1);
    expect(apify.runs).toHaveLength(16);
    expect(apify.rateLimited).toBe(0);
    expect(apify.requests.filter((r) => r.status === 429)).toEqual([]);
  }, 150_000);
});
