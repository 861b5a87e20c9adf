import { Queue } from 'bullmq';
import { adAnalysisResultSchema, ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import {
  deletePrefix,
  spawnWorkerProcess,
  startFakeGoogleAdsServer,
  startFakeMetaGraphServer,
  startFakeTokenService,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type FakeGoogleAdsServer,
  type FakeMetaGraphServer,
  type FakeTokenService,
  type WorkerProcess,
} from '@jobs/test-support';
import { ADS_TEST_AS_OF_DATE, ADS_TEST_SECRET, GOOGLE_TEST_TOKEN, META_TEST_TOKEN } from './test-support/ads-harness';

const url = testRedisUrl();

// The real entry point in its own process (tsx): it starts from its environment alone, completes
// a job of each platform against the local servers, keeps secrets out of its log, and exits 0 on
// SIGTERM.
describe('ads-worker process', () => {
  let tokens: FakeTokenService;
  let google: FakeGoogleAdsServer;
  let meta: FakeMetaGraphServer;
  let worker: WorkerProcess | undefined;
  let queue: Queue;
  const prefix = uniquePrefix('ads-process');
  beforeAll(async () => {
    tokens = await startFakeTokenService(ADS_TEST_SECRET);
    tokens.setAdAccount('acc_456', { tokens: [GOOGLE_TEST_TOKEN], platformAccountId: '1234567890' });
    tokens.setAdAccount('acc_789', { tokens: [META_TEST_TOKEN], platformAccountId: 'act_1234567890' });
    google = await startFakeGoogleAdsServer({ accessTokens: { [GOOGLE_TEST_TOKEN]: '*' } });
    meta = await startFakeMetaGraphServer({ today: ADS_TEST_AS_OF_DATE, accessTokens: { [META_TEST_TOKEN]: '*' } });
    queue = new Queue('ads', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'producer'), prefix });
  });
  afterAll(async () => {
    worker?.kill();
    await worker?.exited;
    await queue.close();
    await Promise.all([tokens.close(), google.close(), meta.close()]);
    await deletePrefix(url, prefix);
  });

  it('analyses a Google and a Meta account, then exits 0 on SIGTERM', async () => {
    worker = spawnWorkerProcess('apps/ads-worker/src/main.ts', {
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
      ADS_TOKEN_URL: tokens.url,
      ADS_TOKEN_SECRET: ADS_TEST_SECRET,
      GOOGLE_ADS_API_URL: google.url,
      META_GRAPH_URL: meta.url,
      ADS_AS_OF_DATE: ADS_TEST_AS_OF_DATE,
    });
    await worker.waitForLine((l) => l['msg'] === 'worker started', 30_000);
    const range = { start: '2024-01-01', end: '2024-01-31' };
    const jobs = [
      await queue.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId: 'acc_456', dateRange: range }),
      await queue.add('AD_ANALYSIS', { userId: 'user_123', platform: 'meta', accountId: 'acc_789', dateRange: range }),
    ];
    for (const job of jobs) {
      const done = await waitFor(`job ${job.id} to finish`, async () => {
        const j = await queue.getJob(job.id as string);
        return j?.finishedOn ? j : undefined;
      }, { timeoutMs: 60_000, intervalMs: 100 });
      expect(done.failedReason).toBeUndefined();
      adAnalysisResultSchema.parse(done.returnvalue);
    }
    worker.child.kill('SIGTERM');
    await expect(worker.exited).resolves.toMatchObject({ code: 0 });
    // No secret reaches the log.
    expect(JSON.stringify(worker.lines) + worker.stderr()).not.toContain(ADS_TEST_SECRET);
    expect(JSON.stringify(worker.lines)).not.toContain(GOOGLE_TEST_TOKEN);
  }, 120_000);
});
