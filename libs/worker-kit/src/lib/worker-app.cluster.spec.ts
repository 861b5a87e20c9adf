import { Writable } from 'node:stream';
import { Job } from 'bullmq';
import { Cluster } from 'ioredis';
import {
  ALL_QUEUE_NAMES,
  appKeyPrefix,
  JOB_CONTRACTS,
  JobProducer,
  queuePrefix,
  redisSettingsFromEnv,
  type JobName,
  type QueueName,
  type RedisSettings,
} from '@jobs/queue-contracts';
import { startThrowawayRedisCluster, waitFor, type ThrowawayRedisCluster } from '@jobs/test-support';
import { createLogger } from './create-logger';
import { closeAppRedis, connectAppRedis } from './connect-app-redis';
import { acquireRedisLock } from './redis-lock';
import { PermanentJobError } from './job-errors';
import { runWorkerApp, type WorkerApp } from './run-worker-app';
import { loadWorkerConfig } from './worker-config';
import type { JobHandlers } from './job-handler';

/** Valid data of one job per queue. */
const SAMPLES: Record<QueueName, [JobName, unknown]> = {
  email: ['EMAIL_SYNC', { userId: 'u', accountId: 'a', emailProvider: 'gmail' }],
  voice: ['VOICE_CALL', { userId: 'u', callId: 'c', phoneNumber: '+14155550123', assistantId: 'a' }],
  enrichment: ['LEAD_ENRICHMENT', { userId: 'u', leads: [{ id: 'lead_1', email: 'a@example.com' }], batchSize: 5 }],
  workflow: ['WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'wf_1', triggerId: 't_1', context: {} }],
  seo: ['SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com' }],
  ads: ['AD_ANALYSIS', { userId: 'u', platform: 'google', accountId: 'acc_1', dateRange: { start: '2024-01-01', end: '2024-01-31' } }],
};

// The workflow result contract has had two shapes; return whichever it accepts (as the fixture app).
const WORKFLOW_RESULT = [{ status: 'completed', stepsCompleted: 1 }, { runId: 'r', status: 'completed', steps: [] }].find(
  (candidate) => JOB_CONTRACTS.WORKFLOW_EXECUTION.result.safeParse(candidate).success,
);

/** A pino logger into an array of parsed lines. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, log: createLogger({ level: 'debug', destination: stream }) };
}

describe('worker kit on a 3-master Redis Cluster', () => {
  let cluster: ThrowawayRedisCluster;
  let redis: RedisSettings;
  let admin: Cluster;
  let base: string;
  let producer: JobProducer;
  const apps: WorkerApp[] = [];

  /** Connected clients per master, the test's own admin connection excluded. */
  const clientCounts = async () =>
    Promise.all(admin.nodes('master').map(async (node) => String(await node.client('LIST')).trim().split('\n').length - 1));

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = new Cluster(redis.clusterNodes!.map((n) => ({ host: n.host, port: n.port })));
    await new Promise<void>((resolve) => admin.once('ready', () => resolve()));
  }, 60_000);

  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  beforeEach(() => {
    base = `test-kit-cluster-${Math.random().toString(16).slice(2, 10)}`;
    producer = new JobProducer({ redis, prefix: base, telemetry: 'off' });
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.shutdown.shutdown('test end')));
    await producer.close();
    for (const node of admin.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `${base}:*`, 'COUNT', 10_000);
      if (keys.length > 0) await Promise.all(keys.map((key) => node.unlink(key)));
    }
  });

  it('runs a kit worker app on every queue: jobs are processed, /readyz is ready, shutdown closes every connection', async () => {
    const before = await clientCounts();
    const env = { REDIS_CLUSTER_NODES: cluster.nodes, BULLMQ_PREFIX: base };
    const seen: string[] = [];
    for (const queue of ALL_QUEUE_NAMES) {
      const [name] = SAMPLES[queue];
      const sink = logSink();
      const handlers = {
        [name]: async ({ data }: { data: { userId: string } }) => {
          seen.push(`${queue}:${data.userId}`);
          // The workflow job completes (its result checked by the contract); the others fail for
          // good, so both of BullMQ's finishing scripts run on the cluster.
          if (queue === 'workflow') return WORKFLOW_RESULT;
          throw new PermanentJobError(`done on ${queue}`);
        },
      } as unknown as JobHandlers<typeof queue>;
      const config = loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 100, healthPort: 0 }, { ...env, HEALTH_HOST: '127.0.0.1' });
      apps.push(await runWorkerApp({ queue, config, log: sink.log, handlers, handleSignals: false, exit: () => undefined }));
    }
    const added = await Promise.all(ALL_QUEUE_NAMES.map((queue) => producer.add(SAMPLES[queue][0], SAMPLES[queue][1] as never)));
    const states = async () => Promise.all(added.map(async (job, i) => (await Job.fromId(producer.queue(ALL_QUEUE_NAMES[i]!), job.id!))?.getState()));
    await waitFor('every job finished', async () => (await states()).every((s) => s === 'completed' || s === 'failed'), { timeoutMs: 30_000 });
    expect(await states()).toEqual(ALL_QUEUE_NAMES.map((q) => (q === 'workflow' ? 'completed' : 'failed')));
    expect(seen.sort()).toEqual(ALL_QUEUE_NAMES.map((q) => `${q}:u`).sort());
    for (const app of apps) expect(await app.readiness()).toEqual({ ready: true, reasons: [] });
    // The jobs are where queuePrefix says: e.g. the seo job under `<base>:{seo-audit}:seo:<id>`.
    const seoKey = `${queuePrefix({ redis, prefix: base }, 'seo')}:seo:${added[ALL_QUEUE_NAMES.indexOf('seo')]!.id}`;
    expect(await admin.exists(seoKey)).toBe(1);

    await Promise.all(apps.splice(0).map((app) => app.shutdown.shutdown('test')));
    // Every Cluster the kit opened (queue handles, workers, their blocking duplicates) is closed.
    // The producer's are closed too, so the counts go back to the test's own connections.
    await producer.close();
    await waitFor('no kit connection left on any master', async () => JSON.stringify(await clientCounts()) === JSON.stringify(before), { timeoutMs: 10_000 });
  }, 60_000);

  it("gives the app's state connection as a Cluster: scripts over keys under appKeyPrefix run, on each queue group's slot", async () => {
    const state = await connectAppRedis(redis, 'x:state', logSink().log);
    try {
      expect(state).toBeInstanceOf(Cluster);
      for (const queue of ALL_QUEUE_NAMES) {
        const keys = appKeyPrefix({ redis, prefix: base }, queue, 'x-worker');
        // A two-key script: CROSSSLOT unless both keys hash to one slot.
        const moved = await state.eval("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('RENAME', KEYS[1], KEYS[2])", 2, `${keys}:a`, `${keys}:b`, queue);
        expect(moved).toBe('OK');
        expect(await state.get(`${keys}:b`)).toBe(queue);
        // The kit's lock (SET NX PX, Lua release) on the same client.
        const lock = await acquireRedisLock(state, `${keys}:lock`, 10_000);
        expect('release' in lock).toBe(true);
        if ('release' in lock) await lock.release();
        expect(await state.exists(`${keys}:lock`)).toBe(0);
        // The app's keys share the queue's slot.
        expect(await admin.cluster('KEYSLOT', `${keys}:b`)).toBe(await admin.cluster('KEYSLOT', `${queuePrefix({ redis, prefix: base }, queue)}:${queue}:wait`));
      }
    } finally {
      await closeAppRedis(state);
    }
    await waitFor('the state connection ended', () => state.status === 'end', { timeoutMs: 10_000 });
  });

  it('names the cluster when no seed answers', async () => {
    const nowhere = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:1' });
    await expect(connectAppRedis(nowhere, 'x:state', logSink().log)).rejects.toThrow(/Redis at redis-cluster:\/\/127\.0\.0\.1:1 is not reachable/);
  });
});
