import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { Job } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
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
import { markClusterClients, startThrowawayRedisCluster, testRedisUrl, waitFor, waitForNoClientsSince, type ThrowawayRedisCluster } from '@jobs/test-support';
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
  /** Masters this file stopped and started again (its own redis-servers), stopped in afterAll. */
  const restarted: ChildProcess[] = [];

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
  }, 60_000);

  afterAll(async () => {
    admin?.disconnect();
    for (const child of restarted.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
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
    const firstIds = await markClusterClients(admin);
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
    // Judged by client id (not by count): see waitForNoClientsSince.
    await waitForNoClientsSince(admin, firstIds, 'no kit connection left on any master');
  }, 90_000);

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
    await waitFor('the state connection ended', () => state.status === 'end', { timeoutMs: 30_000 });
  });

  /** One workflow kit app on the cluster, its jobs recorded in `seen`; waits until /readyz says ready. */
  const startWorkflowApp = async (seen: string[]) => {
    const handlers = {
      WORKFLOW_EXECUTION: async ({ data }: { data: { userId: string } }) => {
        seen.push(data.userId);
        return WORKFLOW_RESULT;
      },
    } as unknown as JobHandlers<'workflow'>;
    const env = { REDIS_CLUSTER_NODES: cluster.nodes, BULLMQ_PREFIX: base, HEALTH_HOST: '127.0.0.1' };
    const config = loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 100, healthPort: 0 }, env);
    const sink = logSink();
    const app = await runWorkerApp({ queue: 'workflow', config, log: sink.log, handlers, handleSignals: false, exit: () => undefined });
    apps.push(app);
    const url = `http://127.0.0.1:${app.health.port}/readyz`;
    const readyz = async () => {
      const res = await fetch(url);
      return { status: res.status, body: (await res.json()) as { ready: boolean; reasons: string[] } };
    };
    await waitFor('the app ready on the cluster', async () => (await readyz()).status === 200, { timeoutMs: 30_000 });
    return { app, readyz, lines: sink.lines };
  };

  /**
   * A master that is neither the first seed (the only node the probe used to ask) nor the owner
   * of the workflow queue's slot: what happens to it can only be seen by asking every master.
   */
  const bystanderMaster = async () => {
    const slot = Number(await admin.cluster('KEYSLOT', `${queuePrefix({ redis, prefix: base }, 'workflow')}:workflow:wait`));
    const owner = admin.slots[slot]?.[0];
    const port = cluster.ports.find((p) => p !== cluster.ports[0] && `127.0.0.1:${p}` !== owner) ?? cluster.ports[1]!;
    return { port, address: `127.0.0.1:${port}` };
  };

  /** A plain connection to one node (no retries); the caller disconnects it. */
  const connectTo = async (port: number) => {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  /** The process id of the redis-server on `port`, or undefined when none answers. */
  const processIdOn = async (port: number) => {
    const client = await connectTo(port).catch(() => undefined);
    try {
      return client ? Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]) : undefined;
    } catch {
      return undefined;
    } finally {
      client?.disconnect();
    }
  };

  /** The arguments that start the master on `port` again as the same cluster node (node file, bus port). */
  const serverArgs = async (port: number) => {
    const client = await connectTo(port);
    try {
      const setting = async (name: string) => String(((await client.config('GET', name)) as string[])[1]);
      return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes',
        '--cluster-config-file', await setting('cluster-config-file'), '--cluster-port', await setting('cluster-port'), '--dir', await setting('dir')];
    } finally {
      client.disconnect();
    }
  };

  /** Stops the master on `port` (SHUTDOWN NOSAVE) and waits until nothing answers there. */
  const stopServer = async (port: number) => {
    const client = await connectTo(port);
    await client.shutdown('NOSAVE').catch(() => undefined);
    client.disconnect();
    await waitFor(`master ${port} stopped`, async () => (await processIdOn(port)) === undefined);
  };

  /** Starts a master of this file's own with `args` (see serverArgs); stopped in afterAll. */
  const startServer = async (port: number, args: readonly string[]) => {
    const child = spawn('redis-server', args, { stdio: 'ignore', detached: true });
    restarted.push(child);
    await waitFor(`master ${port} started again`, async () => (await processIdOn(port)) === child.pid, { timeoutMs: 20_000 });
  };

  it("stops taking jobs while one master (not the first seed, not the queue's) evicts, naming it in /readyz; takes them once it is fixed", async () => {
    const seen: string[] = [];
    const { app, readyz, lines } = await startWorkflowApp(seen);
    const { port, address } = await bystanderMaster();
    const node = await connectTo(port);
    try {
      await node.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const refused = await waitFor('a 503 naming the evicting master', async () => {
        const answer = await readyz();
        return answer.status === 503 && answer.body.reasons.some((reason) => reason.includes(address)) ? answer : undefined;
      }, { timeoutMs: 20_000 });
      expect(refused.body.reasons).toContain(
        `Redis maxmemory-policy is "allkeys-lru" on ${address}, not "noeviction": it may evict job keys, so no jobs are taken (set WORKER_ALLOW_EVICTING_REDIS=true to take them anyway)`,
      );
      expect(lines.filter((l) => l['level'] === 50 && l['maxmemoryPolicy'] === 'allkeys-lru').map((l) => l['maxmemoryPolicies'])).toEqual([{ [address]: 'allkeys-lru' }]);
      expect(app.queueWorker.worker.isPaused()).toBe(true);
      // A fetch already waiting when the worker paused may still take one job (BullMQ's paused
      // worker ends its blocking wait with a fetch): enqueue once its fetch loop has ended.
      await waitFor('the worker no longer fetching', async () => (await readyz()).body.reasons.includes('worker not running'), { timeoutMs: 30_000 });
      const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'after-evicting', workflowId: 'wf_1', triggerId: 't_1', context: {} });
      for (let i = 0; i < 5; i++) expect((await readyz()).status).toBe(503);
      expect(await (await Job.fromId(producer.queue('workflow'), job.id!))?.getState()).toBe('waiting');
      expect(seen).toEqual([]);

      await node.config('SET', 'maxmemory-policy', 'noeviction');
      await waitFor('ready once every master is noeviction', async () => (await readyz()).status === 200, { timeoutMs: 20_000 });
      await waitFor('the waiting job completed', async () => (await (await Job.fromId(producer.queue('workflow'), job.id!))?.getState()) === 'completed', { timeoutMs: 30_000 });
      expect(seen).toEqual(['after-evicting']);
    } finally {
      await node.config('SET', 'maxmemory-policy', 'noeviction');
      node.disconnect();
    }
  }, 90_000);

  it('is not ready while one master does not answer, naming it in /readyz; ready again once it answers', async () => {
    const { readyz } = await startWorkflowApp([]);
    const { port, address } = await bystanderMaster();
    // The server's own process (a throwaway this file started), frozen as a hung host would be.
    const pid = await processIdOn(port);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGSTOP');
    try {
      const down = await waitFor('a 503 naming the silent master', async () => {
        const answer = await readyz();
        return answer.status === 503 && answer.body.reasons.some((reason) => reason.startsWith(`redis master ${address} unreachable`)) ? answer : undefined;
      }, { timeoutMs: 20_000 });
      // Only that master is named unreachable (the others may also say the cluster is failing).
      expect(down.body.reasons.filter((reason) => reason.startsWith('redis master '))).toEqual([`redis master ${address} unreachable: no PING answer within 1000 ms`]);
    } finally {
      process.kill(pid!, 'SIGCONT');
    }
    await waitFor('ready again once the master answers', async () => (await readyz()).status === 200, { timeoutMs: 60_000 });
  }, 120_000);

  it('is not ready while one master is stopped, naming it in /readyz; ready again once it is back', async () => {
    const { readyz } = await startWorkflowApp([]);
    const { port, address } = await bystanderMaster();
    const args = await serverArgs(port);
    await stopServer(port);
    try {
      const down = await waitFor('a 503 naming the stopped master', async () => {
        const answer = await readyz();
        return answer.status === 503 && answer.body.reasons.some((reason) => reason.startsWith(`redis master ${address} unreachable`)) ? answer : undefined;
      }, { timeoutMs: 20_000 });
      expect(down.body.reasons.filter((reason) => reason.startsWith('redis master ')).every((reason) => reason.startsWith(`redis master ${address} unreachable: `))).toBe(true);
    } finally {
      await startServer(port, args);
    }
    await waitFor('ready again once the master is back', async () => (await readyz()).status === 200, { timeoutMs: 60_000 });
  }, 120_000);

  it('takes jobs when one master refuses CONFIG (renamed away, as a managed cluster does), saying so once naming it', async () => {
    const { port, address } = await bystanderMaster();
    const args = await serverArgs(port);
    await stopServer(port);
    await startServer(port, [...args, '--rename-command', 'CONFIG', '']);
    try {
      const seen: string[] = [];
      const { readyz, lines } = await startWorkflowApp(seen);
      const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'refused', workflowId: 'wf_1', triggerId: 't_1', context: {} });
      await waitFor('the job completed', async () => (await (await Job.fromId(producer.queue('workflow'), job.id!))?.getState()) === 'completed', { timeoutMs: 30_000 });
      // Asked again at every probe on a cluster; said once all the same.
      for (let i = 0; i < 5; i++) expect((await readyz()).status).toBe(200);
      const said = lines.filter((l) => String(l['msg']).startsWith('Redis refused CONFIG GET maxmemory-policy'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatchObject({ level: 30, msg: expect.stringContaining(` on ${address} `) });
      expect(Object.keys(said[0]!['reasons'] as object)).toEqual([address]);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.shutdown.shutdown('test end')));
      await stopServer(port);
      await startServer(port, args);
    }
  }, 120_000);

  it("says why a seed refuses: a standalone Redis as seed, a wrong password (Redis's reply, never the password)", async () => {
    const standaloneSeed = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: testRedisUrl().replace(/^redis:\/\/([^/]+).*$/, '$1') });
    await expect(connectAppRedis(standaloneSeed, 'x:state', logSink().log)).rejects.toThrow(/is not reachable: ERR This instance has cluster support disabled/);
    const wrongUser = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes, REDIS_USERNAME: 'nobody', REDIS_PASSWORD: 'canary-pass-7d1' });
    const refused = (await connectAppRedis(wrongUser, 'x:state', logSink().log).catch((err: unknown) => err)) as Error;
    expect(refused.message).toMatch(/^Redis at redis-cluster:\/\/127\.0\.0\.1:\d+,.* is not reachable: WRONGPASS/);
    expect(refused.message).not.toContain('canary-pass-7d1');
    // The same reason on a standalone Redis.
    const standaloneWrongUser = redisSettingsFromEnv({ REDIS_URL: testRedisUrl(), REDIS_USERNAME: 'nobody', REDIS_PASSWORD: 'canary-pass-7d1' });
    await expect(connectAppRedis(standaloneWrongUser, 'x:state', logSink().log)).rejects.toThrow(/is not reachable: WRONGPASS/);
  });

  it('names the cluster when no seed answers', async () => {
    const nowhere = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:1' });
    await expect(connectAppRedis(nowhere, 'x:state', logSink().log)).rejects.toThrow(/Redis at redis-cluster:\/\/127\.0\.0\.1:1 is not reachable/);
  });
});

