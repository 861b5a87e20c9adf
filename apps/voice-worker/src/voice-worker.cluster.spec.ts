import { Cluster } from 'ioredis';
import { JobProducer, queuePrefix, redisSettingsFromEnv, type RedisSettings } from '@jobs/queue-contracts';
import {
  freePort,
  jsonLineSink,
  markClusterClients,
  startThrowawayRedisCluster,
  uniquePrefix,
  waitFor,
  waitForNoClientsSince,
  type FakeVapiServer,
  type ThrowawayRedisCluster,
} from '@jobs/test-support';
import type { WorkerApp } from '@jobs/worker-kit';
import type { VoiceWorkerConfig } from './config';
import { CallRecordStore } from './lib/call-record-store';
import { startVapiFake, voiceEnv } from './test-support/voice-harness';
import { voiceWorkerApp } from './voice-worker-app';

const call = (n: number) => ({ userId: 'user-1', callId: `call-${n}`, phoneNumber: '+1 (415) 555-0123', assistantId: 'assistant-1', metadata: { leadId: `lead-${n}` } });

describe('voice-worker on a 3-master Redis Cluster', () => {
  let cluster: ThrowawayRedisCluster;
  let redis: RedisSettings;
  /** The test's own client, to look at keys and connections on the masters. */
  let admin: Cluster;
  let base: string;
  let vapi: FakeVapiServer;
  let producer: JobProducer;
  let app: (WorkerApp & { readonly config: VoiceWorkerConfig }) | undefined;
  let logs: Record<string, unknown>[];
  /** Each master's highest client id before the test opened anything (see markClusterClients). */
  let clientsMark: ReadonlyMap<number, number>;

  /** Each master's `CLIENT LIST`, one entry per connection, in `admin.nodes('master')` order. */
  const clientLists = () => Promise.all(admin.nodes('master').map(async (node) => String(await node.client('LIST')).trim().split('\n')));

  /** Every key under `<base>:` on each master (SCAN goes to one node: each is asked). */
  const keysOnMasters = () =>
    Promise.all(
      admin.nodes('master').map(async (node) => {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await node.scan(cursor, 'MATCH', `${base}:*`, 'COUNT', 1000);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
        return keys;
      }),
    );

  const voiceQueue = () => producer.queue('voice');
  const finished = (id: string) =>
    waitFor(
      `job ${id} to finish`,
      async () => {
        const job = await voiceQueue().getJob(id);
        return job?.finishedOn ? job : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );

  /** Starts the app as main.ts does (its definition's start), on the cluster, under `base`. */
  async function startApp(extra: Record<string, string> = {}): Promise<WorkerApp & { readonly config: VoiceWorkerConfig }> {
    // REDIS_CLUSTER_NODES is refused together with REDIS_URL: the standalone harness's is left out.
    const { REDIS_URL: _standalone, ...env } = voiceEnv(vapi, base, await freePort(), { LOG_LEVEL: 'debug', ...extra });
    const sink = jsonLineSink();
    logs = sink.lines;
    app = await voiceWorkerApp.start({
      env: { ...env, REDIS_CLUSTER_NODES: cluster.nodes, BULLMQ_PREFIX: base, HEALTH_HOST: '127.0.0.1' },
      handleSignals: false,
      exit: () => undefined,
      logDestination: sink.destination,
    });
    return app;
  }

  /** Shuts the app down and closes the test's producer; then no connection of theirs is left on any master. */
  async function stopAndExpectNoConnections(): Promise<void> {
    await app?.shutdown.shutdown('test end');
    await producer.close();
    // Judged by client id, not by count: an earlier test's connections still closing neither hide a leak nor fail it.
    await waitForNoClientsSince(admin, clientsMark, 'every connection of the app and the producer closed on every master');
    // Named ones too: BullMQ's connections are named after the prefix, the kit's after the app.
    for (const list of await clientLists()) {
      expect(list.filter((line) => line.includes(` name=${base}`) || line.includes(' name=voice-worker:'))).toEqual([]);
    }
  }

  // In the describe: its afterAll runs before the leak check's, which would count the servers.
  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
  }, 60_000);

  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  beforeEach(async () => {
    base = uniquePrefix('voice-cluster');
    app = undefined;
    // Asks every master, so the admin's own connections are all open (older than the mark).
    clientsMark = await markClusterClients(admin);
    vapi = await startVapiFake();
    producer = new JobProducer({ redis, prefix: base, telemetry: 'off' });
  });

  afterEach(async () => {
    try {
      await stopAndExpectNoConnections();
    } finally {
      await vapi.close();
      for (const node of admin.nodes('master')) {
        const [, keys] = await node.scan('0', 'MATCH', `${base}:*`, 'COUNT', 10_000);
        if (keys.length > 0) await Promise.all(keys.map((key) => node.unlink(key)));
      }
    }
  });

  it("places the call, follows it to its end through Vapi's webhook; the record and every key of the app are in the voice queue's slot, and shutdown closes every connection", async () => {
    vapi.setTimings({ manual: true });
    // Checks every 10 minutes: only the webhook (which promotes the waiting job) can end it in time.
    const started = await startApp({ VOICE_POLL_INTERVAL_MS: '600000' });
    const appPrefix = `${base}:{workflow}:voice-worker`;
    expect(started.config.keyPrefix).toBe(appPrefix);
    expect(queuePrefix({ redis, prefix: base }, 'voice')).toBe(`${base}:{workflow}`);

    const job = await producer.add('VOICE_CALL', call(1));
    await waitFor('the call placed and the job waiting on it', async () => vapi.calls.length === 1 && (await voiceQueue().getJobState(job.id as string)) === 'delayed');
    const placed = vapi.calls[0];
    // In two steps, each ending with the job waiting: a webhook that comes while the job is
    // running cannot promote it (it is not delayed), and the next check is 10 minutes away.
    await vapi.advance(placed?.id as string, 'in-progress');
    await waitFor('the job waiting on the call in progress', async () => (await voiceQueue().getJobState(job.id as string)) === 'delayed');
    await vapi.advance(placed?.id as string, 'ended');
    const done = await finished(job.id as string);

    expect(done.failedReason).toBeUndefined();
    expect(vapi.calls).toHaveLength(1);
    expect(placed?.assistantOverrides).toMatchObject({ metadata: { leadId: 'lead-1', callId: 'call-1', userId: 'user-1' } });
    expect(done.returnvalue).toMatchObject({ vapiCallId: placed?.id, status: 'ended', endedReason: 'customer-ended-call' });
    expect(done.returnvalue.transcript).toEqual(expect.any(String));
    expect(vapi.webhookDeliveries.filter((d) => d.type === 'end-of-call-report').map((d) => d.status)).toEqual([200]);
    expect(logs.some((l) => l['msg'] === 'Vapi server message' && l['woken'] === true)).toBe(true);

    // The record, read through the app's own store over a Cluster client.
    const record = await new CallRecordStore(admin, appPrefix, 60_000).load('call-1');
    expect(record).toEqual({ vapiCallId: placed?.id, placingSince: expect.any(Number), jobId: job.id, endReport: expect.objectContaining({ endedReason: 'customer-ended-call' }) });

    // Every key of the test is on one master: the app's under `<base>:{workflow}:voice-worker:`
    // (the record; the placing lock was released), the queue's beside them under `<base>:{workflow}:voice:`.
    const byMaster = await keysOnMasters();
    const holding = byMaster.filter((keys) => keys.length > 0);
    expect(holding).toHaveLength(1);
    const keys = holding[0] as string[];
    expect(keys.filter((k) => k.startsWith(`${appPrefix}:`))).toEqual([`${appPrefix}:call:call-1`]);
    expect(keys.filter((k) => !k.startsWith(`${appPrefix}:`) && !k.startsWith(`${base}:{workflow}:voice:`))).toEqual([]);
    expect(await admin.cluster('KEYSLOT', `${appPrefix}:call:call-1`)).toBe(await admin.cluster('KEYSLOT', `${base}:{workflow}:voice:wait`));

    // The app's state connection is a Cluster client named after it on the masters it talks to.
    expect((await clientLists()).flat().some((line) => line.includes(' name=voice-worker:state'))).toBe(true);
    await stopAndExpectNoConnections();
  });

  it('the placing lock on the cluster: held elsewhere, the job waits and dials nothing; once free it is taken, extended while Vapi answers, and released', async () => {
    // A 3 s lock, extended (a Lua script on the cluster) every second while held.
    const started = await startApp({ WORKER_LOCK_DURATION_MS: '3000', VOICE_POLL_INTERVAL_MS: '1000' });
    const lockKey = `${started.config.keyPrefix}:call:call-2:placing-lock`;
    expect(lockKey.startsWith(`${base}:{workflow}:voice-worker:`)).toBe(true);
    await admin.set(lockKey, 'another-workers-token', 'PX', 60_000);

    const job = await producer.add('VOICE_CALL', call(2));
    await waitFor('the job waiting for the other holder', () => logs.some((l) => l['msg'] === 'job waiting' && l['reason'] === 'another job is placing call call-2'));
    expect(vapi.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    // The other holder is gone; the next run takes the lock and creates the call, whose answer is held.
    const held = vapi.holdNext({ method: 'POST', pathPattern: /^\/call$/ });
    await admin.del(lockKey);
    await held.reached;
    const token = await admin.get(lockKey);
    expect(token).toEqual(expect.any(String));
    expect(token).not.toBe('another-workers-token');
    // Extended: its time to live goes back up while the answer is held.
    let last = Number.POSITIVE_INFINITY;
    await waitFor(
      'the placing lock extended',
      async () => {
        const ttl = await admin.pttl(lockKey);
        const extended = ttl > last;
        last = ttl;
        return extended;
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    expect(await admin.get(lockKey)).toBe(token);
    held.release();

    const done = await finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    expect(vapi.calls).toHaveLength(1);
    expect(done.returnvalue).toMatchObject({ vapiCallId: vapi.calls[0]?.id, status: 'ended' });
    // Released by its holder (a token-checked Lua delete on the lock's node).
    expect(await admin.exists(lockKey)).toBe(0);
    expect(logs.some((l) => typeof l['reason'] === 'string' && (l['reason'] as string).startsWith('stopped placing'))).toBe(false);
  });

  it("Vapi's 429 delays the job without using an attempt (moved back to delayed on the cluster); exactly one call rings", async () => {
    vapi.throttle({ count: 1, retryAfterSeconds: 1, method: 'POST', pathPattern: /^\/call$/ });
    await startApp({ VOICE_POLL_INTERVAL_MS: '1000' });
    const job = await producer.add('VOICE_CALL', call(3), { attempts: 1 });
    const done = await finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    expect(vapi.requests.filter((r) => r.method === 'POST' && r.status === 429)).toHaveLength(1);
    expect(vapi.calls).toHaveLength(1);
    expect(done.returnvalue).toMatchObject({ vapiCallId: vapi.calls[0]?.id, status: 'ended', endedReason: 'customer-ended-call' });
    // Counted in the job's hash (the deferral bound) and moved to delayed: both on the queue's slot.
    const deferred = logs.filter((l) => l['msg'] === 'retrying later without using an attempt');
    expect(deferred).toEqual([expect.objectContaining({ delayMs: 1000, deferrals: 1, reason: expect.stringContaining('HTTP 429') })]);
  });

  it('a call record corrupted on the cluster fails the job at once, naming its key; nothing is dialled', async () => {
    const started = await startApp();
    const key = `${started.config.keyPrefix}:call:call-4`;
    await admin.hset(key, { v: '1', placingSince: 'yesterday' });
    const job = await producer.add('VOICE_CALL', call(4), { attempts: 3 });
    const done = await finished(job.id as string);
    expect(done.failedReason).toContain(`Call record ${key} is unreadable: placingSince: expected ms since the epoch`);
    expect(done.attemptsMade).toBe(1);
    expect(vapi.calls).toHaveLength(0);
  });
});
