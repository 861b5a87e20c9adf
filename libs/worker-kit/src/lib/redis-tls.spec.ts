import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import {
  addWorkflowExecutionJob,
  closeQueues,
  configureProducers,
  getQueueStats,
  JobProducer,
  QueueUnavailableError,
  RedisTlsError,
  redisSettingsFromEnv,
  type RedisEnv,
} from '@jobs/queue-contracts';
import {
  jsonLineSink,
  makeTestCertificates,
  startTlsRedis,
  uniquePrefix,
  waitFor,
  type TestCertificates,
  type ThrowawayRedis,
} from '@jobs/test-support';
import { fixtureApp } from '../test-support/fixture-app';
import { connectAppRedis } from './connect-app-redis';
import { createLogger } from './create-logger';
import { createQueueWorker, type QueueWorker } from './create-queue-worker';
import { loadWorkerConfig } from './worker-config';

let jobs = 0;
/** Workflow job data of a run of its own (a workflow job's default id is its run's). */
const workflow = () => {
  jobs += 1;
  return { userId: 'u', workflowId: `w${jobs}`, triggerId: `t${jobs}`, context: { workMs: 0 } };
};
const DEFAULTS = { concurrency: 2, maxJobsPerSecond: 0, healthPort: 0 };

// Producers and kit workers against a real redis-server that speaks TLS only (`--port 0`), with
// a CA and certificates made by openssl for this run: whatever reaches Redis went over TLS.
describe('Redis over TLS', () => {
  let certs: TestCertificates;
  let server: ThrowawayRedis;
  let mutual: ThrowawayRedis;
  let worker: QueueWorker | undefined;
  let producer: JobProducer | undefined;

  /** A client that trusts the test CA, to look at what the server holds. */
  const inspect = async <T>(url: string, look: (redis: Redis) => Promise<T>): Promise<T> => {
    const redis = new Redis(url, {
      tls: { ca: readFileSync(certs.caCert), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) },
      maxRetriesPerRequest: 1,
    });
    try {
      return await look(redis);
    } finally {
      redis.disconnect();
    }
  };
  const keysOf = (url: string, prefix: string) => inspect(url, (redis) => redis.keys(`${prefix}:*`));

  beforeAll(async () => {
    certs = makeTestCertificates();
    [server, mutual] = await Promise.all([startTlsRedis({ certificates: certs }), startTlsRedis({ certificates: certs, authClients: true })]);
  });
  afterEach(async () => {
    await worker?.close(1000);
    worker = undefined;
    await producer?.close();
    producer = undefined;
    await closeQueues();
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), mutual?.stop()]);
    certs?.remove();
  });

  it('runs producers (configureProducers) and a kit worker (createQueueWorker) over rediss:// with REDIS_TLS_CA, and reads queue stats', async () => {
    const prefix = uniquePrefix('tls');
    const env = { REDIS_URL: server.url, REDIS_TLS_CA: certs.caCert, BULLMQ_PREFIX: prefix };
    await configureProducers({ redis: redisSettingsFromEnv(env), prefix });
    const added = await Promise.all([1, 2, 3].map(() => addWorkflowExecutionJob(workflow())));
    expect((await getQueueStats('workflow')).waiting).toBe(3);
    const sink = jsonLineSink();
    const done: string[] = [];
    worker = createQueueWorker({
      queue: 'workflow',
      config: loadWorkerConfig(DEFAULTS, env),
      log: createLogger({ level: 'info', destination: sink.destination }),
      handlers: {
        WORKFLOW_EXECUTION: async ({ job }) => {
          done.push(job.id ?? '');
          return { runId: 'r', status: 'completed', steps: [] };
        },
      },
    });
    await waitFor('three jobs completed', async () => (await getQueueStats('workflow')).completed === 3, { timeoutMs: 20_000 });
    expect(done.sort()).toEqual(added.map((job) => job.id).sort());
    expect(await getQueueStats('workflow')).toMatchObject({ waiting: 0, active: 0, completed: 3, failed: 0 });
    expect(sink.lines.filter((l) => (l['level'] as number) >= 40)).toEqual([]);
  });

  it('runs a producer (JobProducer) and a defined worker app over REDIS_HOST/REDIS_PORT + REDIS_TLS=true with the CA inline, and is ready', async () => {
    const prefix = uniquePrefix('tls');
    const env = {
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(server.port),
      REDIS_TLS: 'true',
      // Inline PEM with \n escapes, as a one-line environment value carries it.
      REDIS_TLS_CA: readFileSync(certs.caCert, 'utf8').trim().replace(/\n/g, '\\n'),
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
    };
    producer = new JobProducer({ redis: redisSettingsFromEnv(env), prefix });
    const app = await fixtureApp.start({ env, handleSignals: false, exit: jest.fn(), logDestination: jsonLineSink().destination });
    try {
      await producer.addBulk('WORKFLOW_EXECUTION', [{ data: workflow() }, { data: workflow() }]);
      await waitFor('two jobs completed', async () => (await producer!.getQueueStats('workflow')).completed === 2, { timeoutMs: 20_000 });
      expect(await app.readiness()).toEqual({ ready: true, reasons: [] });
    } finally {
      await app.shutdown.shutdown('test');
    }
    expect(await keysOf(server.url, prefix)).not.toEqual([]);
  });

  it('runs over mutual TLS with REDIS_TLS_CERT/REDIS_TLS_KEY, and is refused without them', async () => {
    const prefix = uniquePrefix('tls');
    const base = { REDIS_URL: mutual.url, REDIS_TLS_CA: certs.caCert };
    producer = new JobProducer({ redis: redisSettingsFromEnv({ ...base, REDIS_TLS_CERT: certs.clientCert, REDIS_TLS_KEY: certs.clientKey }), prefix });
    await producer.add('WORKFLOW_EXECUTION', workflow());
    expect((await producer.getQueueStats('workflow')).waiting).toBe(1);

    const anonymous = new JobProducer({ redis: redisSettingsFromEnv(base), prefix, producerTimeoutMs: 60_000 });
    try {
      const error = await anonymous.add('WORKFLOW_EXECUTION', workflow()).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(QueueUnavailableError);
      // The server's alert races ioredis's first command: which the client reads first decides
      // whether the reason is the alert (mapped) or the reset that follows it (not mappable).
      expect((error as Error).message).toMatch(/TLS: the Redis server refused this client's certificate \(.*\): .*set REDIS_TLS_CERT and REDIS_TLS_KEY|ECONNRESET/);
    } finally {
      await anonymous.close();
    }
    expect((await producer.getQueueStats('workflow')).waiting).toBe(1);
  });

  describe.each<[string, (c: TestCertificates) => RedisEnv, RegExp]>([
    [
      'a wrong CA (REDIS_TLS_CA set to an unrelated one)',
      (c) => ({ REDIS_TLS_CA: c.otherCaCert }),
      /TLS: the Redis server's certificate is not trusted \(self-signed certificate in certificate chain\): set REDIS_TLS_CA to the CA that signed it \(the CA in REDIS_TLS_CA did not sign it\)/,
    ],
    [
      'no CA (only the public roots trusted)',
      () => ({}),
      /TLS: the Redis server's certificate is not trusted \(.+\): set REDIS_TLS_CA to the CA that signed it \(REDIS_TLS_CA is not set/,
    ],
    [
      'a certificate not made for REDIS_TLS_SERVERNAME',
      (c) => ({ REDIS_TLS_CA: c.caCert, REDIS_TLS_SERVERNAME: 'other.example' }),
      /TLS: the Redis server's certificate is not valid for "other.example" \(.+\): set REDIS_TLS_SERVERNAME to a name the certificate lists/,
    ],
  ])('refused with a clear message: %s', (_, tlsEnv, message) => {
    it('fails a producer at once (QueueUnavailableError, cause RedisTlsError) and enqueues nothing', async () => {
      const prefix = uniquePrefix('tls');
      // A minute to answer: a rejection within the test's time can only be the TLS failure.
      producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: server.url, ...tlsEnv(certs) }), prefix, producerTimeoutMs: 60_000 });
      const error = await producer.add('WORKFLOW_EXECUTION', workflow()).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(QueueUnavailableError);
      expect((error as Error).message).toMatch(new RegExp(`^Redis at rediss://127\\.0\\.0\\.1:${server.port}/0 is unavailable \\(connect\\): `));
      expect((error as Error).message).toMatch(message);
      expect((error as Error).cause).toBeInstanceOf(RedisTlsError);
      // Later calls fail the same way at once, stats included.
      await expect(producer.getQueueStats('workflow')).rejects.toThrow(message);
      await expect(producer.addBulk('WORKFLOW_EXECUTION', [{ data: workflow() }])).rejects.toThrow(message);
      expect(await keysOf(server.url, prefix)).toEqual([]);
    });

    it('fails the start of a defined worker app with the reason (its state connection cannot connect)', async () => {
      const env = { REDIS_URL: server.url, ...tlsEnv(certs), BULLMQ_PREFIX: uniquePrefix('tls'), HEALTH_HOST: '127.0.0.1', HEALTH_PORT: '0' };
      const error = await fixtureApp.start({ env, handleSignals: false, exit: jest.fn(), logDestination: jsonLineSink().destination }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(new RegExp(`^Redis at rediss://127\\.0\\.0\\.1:${server.port}/0 is not reachable: `));
      expect((error as Error).message).toMatch(message);
      expect((error as Error).cause).toBeInstanceOf(RedisTlsError);
    });

    it('says the same when the TLS server is a seed node in cluster mode (REDIS_CLUSTER_NODES)', async () => {
      const settings = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: `127.0.0.1:${server.port}`, REDIS_TLS: 'true', ...tlsEnv(certs) });
      const error = await connectAppRedis(settings, 'tls-test:state', createLogger({ level: 'silent' })).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(new RegExp(`^Redis at rediss-cluster://127\\.0\\.0\\.1:${server.port} is not reachable: `));
      expect((error as Error).message).toMatch(message);
      expect((error as Error).cause).toBeInstanceOf(RedisTlsError);
    });

    it("logs the reason as a kit worker's error", async () => {
      const env = { REDIS_URL: server.url, ...tlsEnv(certs), BULLMQ_PREFIX: uniquePrefix('tls') };
      const sink = jsonLineSink();
      const refused = createQueueWorker({
        queue: 'workflow',
        config: loadWorkerConfig(DEFAULTS, env),
        log: createLogger({ level: 'info', destination: sink.destination }),
        handlers: { WORKFLOW_EXECUTION: async () => ({ runId: 'r', status: 'completed', steps: [] }) },
      });
      try {
        await waitFor('a worker error line', () => sink.lines.some((l) => l['msg'] === 'worker error'), { timeoutMs: 20_000 });
        const line = sink.lines.find((l) => l['msg'] === 'worker error') as { err: { type: string; message: string } };
        expect(line.err.type).toBe('RedisTlsError');
        expect(line.err.message).toMatch(message);
      } finally {
        // A BullMQ worker that never connected does not finish close() or disconnect() (each
        // waits for a ready connection): bounded here, the servers' stop ends the reconnects.
        const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
        await bounded(Promise.all([refused.worker.disconnect(), refused.queue.disconnect()]));
        await bounded(refused.close(1000));
      }
    });
  });
});
