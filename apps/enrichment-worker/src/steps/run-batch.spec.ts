import { Redis } from 'ioredis';
import { deletePrefix, jsonLineSink, testRedisUrl, uniquePrefix, type FakeApifyServer } from '@jobs/test-support';
import { createLogger } from '@jobs/worker-kit';
import { ApifyActorRuns } from '../lib/actor-runs';
import { BatchStateStore } from '../lib/batch-state-store';
import { JobCancelledError } from '../lib/errors';
import { RateLimiter } from '@jobs/worker-kit';
import { ACTOR_ID, APIFY_TOKEN, makeLeads, startApifyFake } from '../test-support/enrichment-harness';
import type { LeadEnrichmentDeps } from './lead-enrichment-deps';
import { runBatch } from './run-batch';

// One batch through the real apify-client against the local Apify server, records in real Redis.
describe('runBatch', () => {
  const url = testRedisUrl();
  const log = createLogger({ level: 'silent', destination: jsonLineSink().destination });
  let apify: FakeApifyServer;
  let redis: Redis;
  let prefix: string;
  let deps: LeadEnrichmentDeps;
  beforeEach(async () => {
    apify = await startApifyFake({ durationMs: 50 });
    redis = new Redis(url);
    prefix = uniquePrefix('run-batch');
    const limiter = new RateLimiter({ redis, key: `${prefix}:rate-limit:apify`, perSecond: 50 });
    deps = {
      actor: new ApifyActorRuns({ baseUrl: apify.baseUrl, token: APIFY_TOKEN, actorId: ACTOR_ID, limiter, readRetries: 0, rateLimitPauseMs: 100 }),
      batches: new BatchStateStore(redis, prefix, 60_000),
      runTimeoutSecs: 60,
      runMemoryMbytes: null,
      throttleDelayMs: 1000,
    };
  });
  afterEach(async () => {
    await apify.close();
    await redis.quit();
    await deletePrefix(url, prefix);
  });
  const leads = makeLeads(3);
  const batch = (state: { runId: string | null; outcomes: null }) => ({ jobKey: '1:1', index: 0, of: 1, leads, state });

  it('starts a run, waits on it and records the outcomes', async () => {
    const result = await runBatch(deps, batch({ runId: null, outcomes: null }), new AbortController().signal, log);
    expect(result.startedNow).toBe(true);
    expect(result.outcomes.map((o) => o.leadId)).toEqual(leads.map((l) => l.id));
    expect((await deps.batches.loadAll('1:1')).get(0)).toMatchObject({ runId: apify.runs[0]?.id, outcomes: result.outcomes });
  });

  it('a batch with recorded outcomes makes no Apify call; one with a recorded run waits on it without starting another', async () => {
    const first = await runBatch(deps, batch({ runId: null, outcomes: null }), new AbortController().signal, log);
    const requests = apify.requests.length;
    expect(await runBatch(deps, { ...batch({ runId: null, outcomes: null }), state: { runId: 'x', outcomes: [...first.outcomes] } }, new AbortController().signal, log)).toEqual({
      outcomes: first.outcomes,
      startedNow: false,
    });
    expect(apify.requests.length).toBe(requests);
    const again = await runBatch(deps, batch({ runId: apify.runs[0]?.id as string, outcomes: null }), new AbortController().signal, log);
    expect(again.startedNow).toBe(false);
    expect(apify.runsStarted(ACTOR_ID)).toBe(1);
  });

  it('a cancelled job starts no run', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await expect(runBatch(deps, batch({ runId: null, outcomes: null }), controller.signal, log)).rejects.toBeInstanceOf(JobCancelledError);
    expect(apify.runs).toHaveLength(0);
  });
});
