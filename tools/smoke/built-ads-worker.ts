// The built ads worker runs alone (see built-app.ts): it analyses a Google Ads and a Meta account
// on the local API servers (tokens from a local stand-in for the web app's endpoint), stores
// both HTML reports, and exits 0 on SIGTERM.
import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { adAnalysisResultSchema, getAdAnalysisReport, ioRedisOptions, JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, startFakeGoogleAdsServer, startFakeMetaGraphServer, startFakeTokenService, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { check, installBuiltApp } from './built-app';
import { waitForJobResult } from '../demo/wait-for-job-result';

/** Runs the ads worker's smoke test. @throws Error saying what failed. */
export async function smokeBuiltAdsWorker(): Promise<void> {
  const app = installBuiltApp('ads-worker');
  const url = testRedisUrl();
  const prefix = uniquePrefix('built-ads');
  const secret = randomBytes(16).toString('hex');
  const tokens = await startFakeTokenService(secret);
  tokens.setAdAccount('acc_456', { tokens: ['google-smoke-token'], platformAccountId: '1234567890' });
  tokens.setAdAccount('acc_789', { tokens: ['meta-smoke-token'], platformAccountId: 'act_1234567890' });
  const google = await startFakeGoogleAdsServer({ accessTokens: { 'google-smoke-token': '*' } });
  // Fixed "today" for worker and Meta server: the synthetic data is 2023–2024 and Meta serves 37 months back.
  const asOfDate = '2025-06-30';
  const meta = await startFakeMetaGraphServer({ today: asOfDate, accessTokens: { 'meta-smoke-token': '*' } });
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis, prefix });
  const events = new QueueEvents('ads', { connection: ioRedisOptions(redis, 'worker'), prefix });
  try {
    const worker = await app.start({
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_PORT: '0',
      ADS_TOKEN_URL: tokens.url,
      ADS_TOKEN_SECRET: secret,
      GOOGLE_ADS_API_URL: google.url,
      META_GRAPH_URL: meta.url,
      ADS_AS_OF_DATE: asOfDate,
    });
    await events.waitUntilReady();
    const dateRange = { start: new Date('2024-01-01'), end: new Date('2024-01-31') };
    for (const [platform, accountId] of [['google', 'acc_456'], ['meta', 'acc_789']] as const) {
      const job = await producer.add('AD_ANALYSIS', { userId: 'smoke', platform, accountId, dateRange });
      const result = adAnalysisResultSchema.parse(await waitForJobResult(producer, job, events, 60_000));
      const html = result.report ? await getAdAnalysisReport(result.report, { source: producer }) : null;
      check(result.recommendations.length > 0 && html?.includes('<svg'), `${platform}: expected recommendations and a stored report with charts`);
    }
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    check(code === 0, `the built ads-worker exited ${code} on SIGTERM, not 0:\n${worker.stderr()}`);
    process.stdout.write(`built ads-worker analysed a Google Ads and a Meta account (${google.requests.length} + ${meta.requests.length} API requests), stored both reports and exited 0\n`);
  } finally {
    await Promise.all([producer.close(), events.close(), tokens.close(), google.close(), meta.close()]);
    await deletePrefix(url, prefix);
    app.remove();
  }
}
