import { adAnalysisResultSchema } from '@jobs/queue-contracts';
import { startAdsHarness, type AdsHarness } from './test-support/ads-harness';

const JANUARY = { start: new Date('2024-01-01'), end: new Date('2024-01-31') };

// "Done when": with the platform refusing beyond a quota, the job completes with no refusal
// after the first and no attempt lost (the waits are held inside the job or deferred without
// using an attempt). Quotas are small so a job's few calls cross them.
describe('AD_ANALYSIS under the platforms’ throttling (end to end)', () => {
  let harness: AdsHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('Google: RESOURCE_EXHAUSTED once at most, then paced; the jobs complete on their first attempt', async () => {
    harness = await startAdsHarness({ google: { quota: { requests: 3, windowMs: 1000, retryDelaySeconds: 1 } } });
    const jobs = await Promise.all(
      ['acc_456', '9876543210'].map((accountId) => harness!.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId, dateRange: JANUARY })),
    );
    for (const job of jobs) {
      const done = await harness.finished(job.id as string);
      expect(done.failedReason).toBeUndefined();
      expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
      adAnalysisResultSchema.parse(done.returnvalue);
    }
    expect(harness.google.refusals).toBeLessThanOrEqual(1);
    expect(harness.google.requests.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(8);
  }, 120_000);

  it('Meta: the usage headers slow the calls down before the quota; the jobs complete on their first attempt', async () => {
    harness = await startAdsHarness({ meta: { quota: { calls: 4, windowMs: 2000 } } });
    const jobs = await Promise.all(
      [0, 1].map(() => harness!.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'meta', accountId: 'acc_789', dateRange: JANUARY })),
    );
    for (const job of jobs) {
      const done = await harness.finished(job.id as string);
      expect(done.failedReason).toBeUndefined();
      expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
      adAnalysisResultSchema.parse(done.returnvalue);
    }
    expect(harness.meta.refusals).toBeLessThanOrEqual(1);
  }, 120_000);
});
