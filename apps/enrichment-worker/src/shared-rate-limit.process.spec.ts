import { Queue } from 'bullmq';
import { ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, spawnWorkerProcess, testRedisUrl, uniquePrefix, waitFor, type FakeApifyServer, type WorkerProcess } from '@jobs/test-support';
import { enrichmentEnv, makeLeads, startApifyFake } from './test-support/enrichment-harness';

const url = testRedisUrl();

describe('enrichment-worker processes: one Apify rate limit for all of them', () => {
  let apify: FakeApifyServer;
  let prefix: string;
  let queue: Queue;
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.kill();
      await w.exited;
    }
    await queue.close();
    await apify.close();
    await deletePrefix(url, prefix);
  });

  it('two worker processes against one Apify server that allows 10/s: no 429, every lead accounted for, both processes working', async () => {
    // Each process alone keeps itself at 10/s, so two that did not share the limit would send
    // about 19/s and meet 429s. The server counts what reaches it in a sliding window and
    // forgives an 11th call up to 150 ms early (as the e2e test: between leaving the limiter
    // and being counted, a request passes the client's interceptors and the loopback socket
    // of a busy machine): zero 429s is "at most 10 calls in any 850 ms" by the server's clock.
    apify = await startApifyFake({ rateLimitPerSecond: 10, rateLimitSlackMs: 150, durationMs: 20 });
    prefix = uniquePrefix('enrich-shared-rate');
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
