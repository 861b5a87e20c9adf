import { adAnalysisResultSchema } from '@jobs/queue-contracts';
import { startAdsHarness, type AdsHarness } from './test-support/ads-harness';

const JANUARY = { start: new Date('2024-01-01'), end: new Date('2024-01-31') };

// "Done when": with the platform refusing beyond a quota, the job completes with no refusal
// after the first and no attempt lost (waits are held inside the job, or deferred without using
// an attempt). The quotas are smaller than a job's five calls, so each job crosses them. One job
// at a time: with two running at once, a call already on the wire when the first refusal comes
// back can be refused too, which no client can prevent.
describe('AD_ANALYSIS under the platforms’ throttling (end to end)', () => {
  let harness: AdsHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("Google: the seed's job meets RESOURCE_EXHAUSTED once at most, then is paced, and completes on its first attempt", async () => {
    harness = await startAdsHarness({ google: { quota: { requests: 3, windowMs: 1000, retryDelaySeconds: 1 } } });
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId: 'acc_456', dateRange: JANUARY });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
    adAnalysisResultSchema.parse(done.returnvalue);
    expect(harness.google.refusals).toBeLessThanOrEqual(1);
    expect(harness.google.requests.filter((r) => r.status === 200)).toHaveLength(5);
  }, 120_000);

  it('Meta: the usage headers slow the calls down before the quota; the job completes on its first attempt', async () => {
    harness = await startAdsHarness({ meta: { quota: { calls: 3, windowMs: 2000 } } });
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'meta', accountId: 'acc_789', dateRange: JANUARY });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
    adAnalysisResultSchema.parse(done.returnvalue);
    expect(harness.meta.refusals).toBeLessThanOrEqual(1);
    expect(harness.meta.requests.filter((r) => r.errorCode === undefined).length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
