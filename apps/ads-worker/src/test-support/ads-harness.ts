import { Queue } from 'bullmq';
import { bullMqConnection, JobProducer, queuePrefix, redisSettingsFromEnv } from '@jobs/queue-contracts';
import {
  deletePrefix,
  jsonLineSink,
  startFakeGoogleAdsServer,
  startFakeMetaGraphServer,
  startFakeTokenService,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type FakeGoogleAdsServer,
  type FakeGoogleAdsServerOptions,
  type FakeMetaGraphServer,
  type FakeMetaGraphServerOptions,
  type FakeTokenService,
} from '@jobs/test-support';
import type { WorkerApp } from '@jobs/worker-kit';
import { adsWorkerApp } from '../ads-worker-app';
import type { AdsWorkerConfig } from '../config';

/** Made up for the tests: the token endpoint's shared secret and the platforms' access tokens. */
export const ADS_TEST_SECRET = 'ads-test-shared-secret-0123456789';
export const GOOGLE_TEST_TOKEN = 'ya29.test-google-access-token';
export const META_TEST_TOKEN = 'EAAtestmetaaccesstoken';

/**
 * The day the tests take as today (`ADS_AS_OF_DATE` of the worker, `today` of the fake Meta
 * server): the synthetic data covers 2023–2024, and Meta answers only the last 37 months, so
 * with the real date the January-2024 jobs would stop working from 2027.
 */
export const ADS_TEST_AS_OF_DATE = '2025-06-30';

/** Options of {@link startAdsHarness}: the fakes' options and extra worker variables. */
export interface AdsHarnessOptions {
  readonly google?: Omit<FakeGoogleAdsServerOptions, 'accessTokens'>;
  readonly meta?: Omit<FakeMetaGraphServerOptions, 'accessTokens'>;
  readonly env?: Record<string, string>;
  /**
   * `REDIS_CLUSTER_NODES` of a Redis Cluster to run on (e.g. a throwaway cluster's `nodes`)
   * instead of the test Redis (`REDIS_URL`). The caller owns the cluster: `close` leaves its
   * keys for it to drop (by stopping it).
   */
  readonly clusterNodes?: string;
}

/** The ads worker started as main.ts starts it (the kit's `start()`), against local fakes, on its own Redis prefix. */
export interface AdsHarness {
  readonly prefix: string;
  readonly app: WorkerApp & { readonly config: AdsWorkerConfig };
  readonly tokens: FakeTokenService;
  readonly google: FakeGoogleAdsServer;
  readonly meta: FakeMetaGraphServer;
  /** A producer on the harness's prefix (for `getAdAnalysisReport({ source })` too). */
  readonly producer: JobProducer;
  /** The ads queue on the harness's prefix (hash-tagged on a cluster), through its own connection. */
  readonly queue: Queue;
  readonly logs: Record<string, unknown>[];
  /** Waits (ceiling 60 s, against hangs only) until job `id` has finished; returns it. */
  finished(id: string): Promise<NonNullable<Awaited<ReturnType<Queue['getJob']>>>>;
  /** Closes the test's own Redis clients (`producer`, `queue` and its connection), not the worker; idempotent. */
  closeClients(): Promise<void>;
  /** Shuts the worker down, then closes the test's clients and the fakes, and (standalone) deletes the prefix's keys. */
  close(): Promise<void>;
}

/**
 * Starts the fake token service (the seed's `acc_456` → Google `1234567890`; `acc_789` → Meta
 * `act_1234567890`; the platform ids themselves connected too), the fake Google Ads and Meta
 * Graph servers (one accepted token each), and the ads worker through `adsWorkerApp.start()`,
 * all taking {@link ADS_TEST_AS_OF_DATE} as today (the fake Google server has no such option: it
 * reads the date only for campaigns given an end date).
 */
export async function startAdsHarness(options: AdsHarnessOptions = {}): Promise<AdsHarness> {
  const prefix = uniquePrefix('ads');
  const tokens = await startFakeTokenService(ADS_TEST_SECRET);
  tokens.setAdAccount('acc_456', { tokens: [GOOGLE_TEST_TOKEN], platformAccountId: '1234567890' });
  tokens.setAdAccount('acc_789', { tokens: [META_TEST_TOKEN], platformAccountId: 'act_1234567890' });
  tokens.setTokens('9876543210', [GOOGLE_TEST_TOKEN]);
  tokens.setTokens('act_9876543210', [META_TEST_TOKEN]);
  const google = await startFakeGoogleAdsServer({ ...options.google, accessTokens: { [GOOGLE_TEST_TOKEN]: '*' } });
  const meta = await startFakeMetaGraphServer({ today: ADS_TEST_AS_OF_DATE, ...options.meta, accessTokens: { [META_TEST_TOKEN]: '*' } });
  const sink = jsonLineSink();
  const redisEnv: Record<string, string> = options.clusterNodes ? { REDIS_CLUSTER_NODES: options.clusterNodes } : { REDIS_URL: testRedisUrl() };
  const env = {
    ...redisEnv,
    BULLMQ_PREFIX: prefix,
    HEALTH_HOST: '127.0.0.1',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'debug',
    ADS_TOKEN_URL: tokens.url,
    ADS_TOKEN_SECRET: ADS_TEST_SECRET,
    GOOGLE_ADS_API_URL: google.url,
    META_GRAPH_URL: meta.url,
    ADS_AS_OF_DATE: ADS_TEST_AS_OF_DATE,
    ...options.env,
  };
  const app = await adsWorkerApp.start({ env, handleSignals: false, exit: () => undefined, logDestination: sink.destination });
  const redis = redisSettingsFromEnv(redisEnv);
  const producer = new JobProducer({ redis, prefix });
  const connection = bullMqConnection(redis, 'producer');
  const queue = new Queue('ads', { connection: connection.connection, prefix: queuePrefix({ redis, prefix }, 'ads') });
  let clientsClosed: Promise<void> | undefined;
  const closeClients = () => (clientsClosed ??= Promise.all([producer.close(), queue.close().finally(() => connection.close())]).then(() => undefined));
  return {
    prefix,
    app,
    tokens,
    google,
    meta,
    producer,
    queue,
    logs: sink.lines,
    async finished(id) {
      return waitFor(
        `job ${id} to finish`,
        async () => {
          const job = await queue.getJob(id);
          return job?.finishedOn ? job : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    },
    closeClients,
    async close() {
      await app.shutdown.shutdown('test');
      await Promise.all([closeClients(), tokens.close(), google.close(), meta.close()]);
      if (!options.clusterNodes) await deletePrefix(testRedisUrl(), prefix);
    },
  };
}
