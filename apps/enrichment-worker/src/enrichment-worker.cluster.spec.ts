import { Job } from 'bullmq';
import { Cluster } from 'ioredis';
import { JobProducer, queuePrefix, redisSettingsFromEnv, type RedisSettings } from '@jobs/queue-contracts';
import {
  jsonLineSink,
  markClusterClients,
  startThrowawayRedisCluster,
  waitFor,
  waitForNoClientsSince,
  type FakeApifyServer,
  type JsonLineSink,
  type ThrowawayRedisCluster,
} from '@jobs/test-support';
import { enrichmentWorkerApp } from './enrichment-worker-app';
import { ACTOR_ID, enrichmentEnv, makeLeads, startApifyFake } from './test-support/enrichment-harness';

// The app as main.ts runs it (its definition's start()), on a throwaway 3-master cluster, with
// the local Apify server. Its Redis work: the Apify rate limiter's scripts (take on every call,
// pause after a 429), each over the one hash `<keyPrefix>:rate-limit:apify`, and one MULTI
// (HSET + PEXPIRE) per batch record on the job's hash. No locks and no fenced writes.

describe('enrichment-worker on a 3-master Redis Cluster', () => {
  let cluster: ThrowawayRedisCluster;
  let redis: RedisSettings;
  /** The test's own cluster client, to look at keys and connections. */
  let admin: Cluster;
  let base: string;
  let apify: FakeApifyServer | undefined;
  let producer: JobProducer | undefined;
  let app: Awaited<ReturnType<typeof enrichmentWorkerApp.start>> | undefined;

  /** Every key under `base:` on each master, by the master's port. */
  const keysByMaster = async (): Promise<Map<number, string[]>> => {
    const byPort = new Map<number, string[]>();
    for (const node of admin.nodes('master')) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${base}:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      byPort.set(Number(node.options.port), keys);
    }
    return byPort;
  };

  /** `CLIENT LIST` of each master, one line per connection (the test's own admin one included). */
  const clientsByMaster = async (): Promise<string[][]> =>
    Promise.all(admin.nodes('master').map(async (node) => String(await node.client('LIST')).trim().split('\n')));

  /** Waits until the job has finished (completed or failed for good) and returns it. */
  const finished = (id: string, timeoutMs = 60_000): Promise<Job> =>
    waitFor(
      `job ${id} to finish`,
      async () => {
        const job = await Job.fromId(producer!.queue('enrichment'), id);
        return job?.finishedOn ? job : undefined;
      },
      { timeoutMs },
    );

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
  }, 60_000);

  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  beforeEach(() => {
    base = `test-enrich-cluster-${Math.random().toString(16).slice(2, 10)}`;
  });

  afterEach(async () => {
    await app?.shutdown.shutdown('test end');
    await producer?.close();
    await apify?.close();
    app = undefined;
    producer = undefined;
    apify = undefined;
    for (const keys of (await keysByMaster()).values()) await Promise.all(keys.map((key) => admin.unlink(key)));
  });

  /** Starts the app on the cluster (no REDIS_URL: it is refused with REDIS_CLUSTER_NODES). */
  const startApp = async (server: FakeApifyServer, extra: Record<string, string> = {}): Promise<{ sink: JsonLineSink; exits: number[] }> => {
    const { REDIS_URL: _standalone, ...env } = enrichmentEnv(server, base, { LOG_LEVEL: 'info', ...extra });
    const sink = jsonLineSink();
    const exits: number[] = [];
    app = await enrichmentWorkerApp.start({
      env: { ...env, REDIS_CLUSTER_NODES: cluster.nodes, BULLMQ_PREFIX: base },
      handleSignals: false,
      exit: (code) => exits.push(code),
      logDestination: sink.destination,
    });
    producer = new JobProducer({ redis, prefix: base, telemetry: 'off' });
    return { sink, exits };
  };

  it('enriches as on a standalone Redis; its records and rate limit live under <prefix>:{workflow}:enrichment-worker:; shutdown closes every connection', async () => {
    const mark = await markClusterClients(admin);
    apify = await startApifyFake();
    const { exits } = await startApp(apify, { ENRICHMENT_RATE_LIMIT_PAUSE_MS: '200' });
    const appPrefix = `${base}:{workflow}:enrichment-worker`;
    expect(app?.config.keyPrefix).toBe(appPrefix);

    // 1. The standalone e2e's job: every kind of outcome, three batches, each recorded (MULTI).
    const leads = [
      { id: 'a', email: 'ada@acme.example' },
      { id: 'b' },
      { id: 'c', company: 'unknown systems' },
      { id: 'd', email: 'error@acme.example' },
      { id: 'e', phone: '+14155550123' },
      { id: 'f', email: 'fay@globex.example', company: 'Globex' },
    ];
    const first = await producer!.add('LEAD_ENRICHMENT', { userId: 'u1', leads, batchSize: 2 });
    const done = await finished(first.id!);
    expect(done.failedReason).toBeUndefined();
    const result = done.returnvalue as { outcomes: { leadId: string; status: string }[]; totals: Record<string, number> };
    expect(result.outcomes.map((o) => `${o.leadId}:${o.status}`)).toEqual(['a:enriched', 'b:rejected', 'c:not_found', 'd:failed', 'e:not_found', 'f:enriched']);
    expect(result.totals).toEqual({ enriched: 2, notFound: 2, failed: 1, rejected: 1 });
    expect(apify.runs.map((r) => (r.input as { leads: { id: string }[] }).leads.map((l) => l.id))).toEqual([['a', 'c'], ['d', 'e'], ['f']]);
    expect(done.progress).toMatchObject({ batchesDone: 3, batches: 3 });
    const records = await admin.hgetall(`${appPrefix}:job:${first.id}:${first.timestamp}`);
    expect(Object.keys(records).sort()).toEqual(['0', '1', '2']);
    for (const [field, record] of Object.entries(records)) {
      expect(JSON.parse(record)).toMatchObject({ v: 1, runId: apify.runs[Number(field)]?.id, outcomes: expect.any(Array) });
    }
    expect(await admin.pttl(`${appPrefix}:job:${first.id}:${first.timestamp}`)).toBeGreaterThan(0);
    // Every Apify call took its slot through the limiter's script.
    expect(await admin.hget(`${appPrefix}:rate-limit:apify`, 'lastCallAt')).toMatch(/^\d+$/);

    // 2. A 429 on a dataset read: the client retries it, and the limiter's pause script holds
    // every call of every process first.
    apify.failNext({ count: 1, status: 429, pathPattern: /\/items$/ });
    const throttled = await producer!.add('LEAD_ENRICHMENT', { userId: 'u2', leads: makeLeads(4), batchSize: 2 });
    const throttledDone = await finished(throttled.id!);
    expect(throttledDone.failedReason).toBeUndefined();
    expect((throttledDone.returnvalue as { outcomes: unknown[] }).outcomes).toHaveLength(4);
    expect(apify.rateLimited).toBe(1);
    expect(await admin.hget(`${appPrefix}:rate-limit:apify`, 'pausedUntil')).toMatch(/^\d+$/);

    // Every key of the app is under its cluster prefix, in the enrichment queue's slot (so on
    // the one master serving it, with the queue's own keys); none where a standalone Redis keeps them.
    const byMaster = await keysByMaster();
    const all = [...byMaster.values()].flat();
    const appKeys = all.filter((key) => key.includes('enrichment-worker'));
    expect(appKeys.sort()).toEqual(
      [`${appPrefix}:job:${first.id}:${first.timestamp}`, `${appPrefix}:job:${throttled.id}:${throttled.timestamp}`, `${appPrefix}:rate-limit:apify`].sort(),
    );
    expect(all.filter((key) => key.startsWith(`${base}:enrichment-worker:`))).toEqual([]);
    expect([...byMaster.values()].filter((keys) => keys.length > 0)).toHaveLength(1);
    const queueSlot = await admin.cluster('KEYSLOT', `${queuePrefix({ redis, prefix: base }, 'enrichment')}:enrichment:meta`);
    for (const key of appKeys) expect(await admin.cluster('KEYSLOT', key)).toBe(queueSlot);

    // Shutdown: the state connection, the queue handle's and the worker's Clusters are closed on
    // every master; once the test's producer is closed too, no connection opened after the mark is left.
    // (ioredis opens a Cluster's connection to a node on its first command there: the state
    // connection is at least on the master serving the app's slot.)
    const stateClients = (await clientsByMaster()).map((clients) => clients.filter((line) => line.includes('name=enrichment-worker:state')).length);
    expect(stateClients.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1);
    await app!.shutdown.shutdown('test');
    expect(exits).toEqual([]);
    // A QUIT is answered before the server drops the connection: give it a moment to go.
    await waitFor('no state connection left on any master', async () => (await clientsByMaster()).flat().every((line) => !line.includes('name=enrichment-worker')), {
      timeoutMs: 30_000,
    });
    await producer!.close();
    // Judged by client id, not by count: an earlier test's connections still closing neither hide a leak nor fail it.
    await waitForNoClientsSince(admin, mark, 'no connection of the app or the producer left on any master');
  }, 180_000);

  it("a retried job reads its batch records back from the cluster: when Apify's answer to 'start run' is lost, the retry finds that run instead of starting a second", async () => {
    apify = await startApifyFake({ durationMs: 100 });
    const { sink } = await startApp(apify);
    const held = apify.holdNext({ method: 'POST', pathPattern: /\/runs$/ });
    // The producer's defaults: 3 attempts, the second after about 2 s.
    const job = await producer!.add('LEAD_ENRICHMENT', { userId: 'u1', leads: makeLeads(10), batchSize: 5 });
    await held.reached;
    held.cut(); // the run was started; the worker sees a broken connection
    const done = await finished(job.id!);
    expect(await done.getState()).toBe('completed');
    expect((done.returnvalue as { outcomes: unknown[] }).outcomes).toHaveLength(10);
    expect(done.attemptsMade).toBe(2);
    expect(apify.runsStarted(ACTOR_ID)).toBe(2);
    expect(sink.lines.some((l) => l['msg'] === 'found the run an earlier attempt started: waiting on it, not starting another')).toBe(true);
    const records = await admin.hgetall(`${base}:{workflow}:enrichment-worker:job:${job.id}:${job.timestamp}`);
    expect(Object.values(records).map((r) => (JSON.parse(r) as { runId: string }).runId).sort()).toEqual(apify.runs.map((r) => r.id).sort());
  }, 120_000);
});
