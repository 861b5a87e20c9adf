import { addAdAnalysisJob, adAnalysisResultSchema, closeQueues, configureProducers, getAdAnalysisReport, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { testRedisUrl } from '@jobs/test-support';
import { GOOGLE_TEST_TOKEN, startAdsHarness, type AdsHarness } from './test-support/ads-harness';

const JANUARY = { start: new Date('2024-01-01'), end: new Date('2024-01-31') };

describe('AD_ANALYSIS end to end (real Redis, worker started as main.ts starts it, local Google Ads, Meta and token servers)', () => {
  let harness: AdsHarness | undefined;
  afterEach(async () => {
    await closeQueues();
    await harness?.close();
    harness = undefined;
  });

  it("runs the seed README's exact call against the local Google Ads API", async () => {
    harness = await startAdsHarness();
    await configureProducers({ redis: redisSettingsFromEnv({ REDIS_URL: testRedisUrl() }), prefix: harness.prefix });
    // Verbatim from the seed README (../shared/seed/background-jobs-README.md).
    const job = await addAdAnalysisJob({
      userId: 'user_123',
      platform: 'google',
      accountId: 'acc_456',
      dateRange: {
        start: new Date('2024-01-01'),
        end: new Date('2024-01-31'),
      },
    });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    // BullMQ counts the attempt that completed: 1 made, started once, none lost to a retry.
    expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
    const result = adAnalysisResultSchema.parse(done.returnvalue);
    expect(result).toMatchObject({
      platform: 'google',
      accountId: 'acc_456',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      dateRange: { start: '2024-01-01', end: '2024-01-31' },
      previousRange: { start: '2023-12-01', end: '2023-12-31' },
    });
    expect(result.campaigns.length).toBeGreaterThan(0);
    expect(result.totals.costMicros).toBeGreaterThan(0);
    // The app's id was resolved to the Google customer id through the token endpoint.
    expect(harness.tokens.requests[0]).toEqual({ userId: 'user_123', accountId: 'acc_456', provider: 'google-ads', forceRefresh: false });
    expect(harness.google.requests.every((r) => r.path.includes('/customers/1234567890/googleAds:searchStream'))).toBe(true);
    // The injected faults are reported.
    expect(result.anomalies.length).toBeGreaterThan(0);
    expect(result.recommendations.map((r) => r.rule)).toEqual(expect.arrayContaining(['stopped-spending']));

    // The report is fetchable the way the web app fetches it.
    expect(result.report).not.toBeNull();
    const html = await getAdAnalysisReport(result.report!, { source: harness.producer });
    expect(html).toContain('<svg');
    await expect(getAdAnalysisReport(job.id as string, { source: harness.producer })).resolves.toBe(html);
  }, 90_000);

  it('runs a Meta job, the app id mapped to act_<digits>', async () => {
    harness = await startAdsHarness();
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'meta', accountId: 'acc_789', dateRange: JANUARY });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    const result = adAnalysisResultSchema.parse(done.returnvalue);
    expect(result).toMatchObject({ platform: 'meta', currency: 'USD', timeZone: 'America/Los_Angeles' });
    expect(harness.meta.requests.some((r) => r.path.startsWith('/v24.0/act_1234567890/insights'))).toBe(true);
    expect(result.report?.key).toBe(`${harness.prefix}:ads-worker:report:${job.id}`);
  }, 90_000);

  it("takes the platform's id as the job's accountId when the app names none, and reports its last phase as progress", async () => {
    harness = await startAdsHarness();
    harness.tokens.setTokens('987-654-3210', [GOOGLE_TEST_TOKEN]);
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'u', platform: 'google', accountId: '987-654-3210', dateRange: JANUARY });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    expect(adAnalysisResultSchema.parse(done.returnvalue)).toMatchObject({ currency: 'USD', anomalies: [], recommendations: [] });
    expect(done.progress).toEqual({ phase: 'report', percent: 86 });
  }, 90_000);

  it('sends the developer token when one is configured, and analyses only the campaigns the job names', async () => {
    harness = await startAdsHarness({ google: { developerToken: 'made-up-developer-token' }, env: { GOOGLE_ADS_DEVELOPER_TOKEN: 'made-up-developer-token' } });
    const job = await harness.producer.add('AD_ANALYSIS', {
      userId: 'user_123',
      platform: 'google',
      accountId: 'acc_456',
      dateRange: JANUARY,
      campaignIds: ['21000000001', '99999999999'],
    });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    const result = adAnalysisResultSchema.parse(done.returnvalue);
    expect(result.campaigns.map((c) => c.campaignId)).toEqual(['21000000001']);
    expect(result.notes).toEqual(['1 of the campaigns named in campaignIds is not in this ad account and was left out: 99999999999.']);
    expect(harness.google.requests.every((r) => r.developerToken === 'made-up-developer-token')).toBe(true);
  }, 90_000);

  it('fails at once naming campaignIds when none of the named campaigns is the account’s (Meta)', async () => {
    harness = await startAdsHarness();
    const job = await harness.producer.add(
      'AD_ANALYSIS',
      { userId: 'u', platform: 'meta', accountId: 'acc_789', dateRange: JANUARY, campaignIds: ['21000000001'] },
      { attempts: 3 },
    );
    const done = await harness.finished(job.id as string);
    expect(done.attemptsMade).toBe(1);
    expect(done.failedReason).toMatch(/^campaignIds: no campaign named is in this ad account \(21000000001\)/);
  }, 90_000);

  it('fails at once, with a clear reason, when the account is not connected', async () => {
    harness = await startAdsHarness();
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'u', platform: 'google', accountId: 'acc_unknown', dateRange: JANUARY }, { attempts: 3 });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toMatch(/the user must reconnect the ad account/);
    expect(done.attemptsMade).toBe(1);
    expect(harness.google.requests).toHaveLength(0);
  }, 90_000);

  it('fails once, with a clear reason, when the platform refuses a fresh token too', async () => {
    harness = await startAdsHarness();
    harness.tokens.setAdAccount('acc_bad', { tokens: ['revoked-1', 'revoked-2'], platformAccountId: '1234567890' });
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'u', platform: 'google', accountId: 'acc_bad', dateRange: JANUARY }, { attempts: 3 });
    const done = await harness.finished(job.id as string);
    expect(done.attemptsMade).toBe(1);
    expect(done.failedReason).toMatch(/reconnect|refused/i);
    expect(harness.tokens.requests.filter((r) => r.accountId === 'acc_bad').map((r) => r.forceRefresh)).toEqual([false, true]);
  }, 90_000);
});
