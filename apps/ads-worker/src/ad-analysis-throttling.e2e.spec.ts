import { adAnalysisResultSchema } from '@jobs/queue-contracts';
import type { FakeMetaRecordedRequest } from '@jobs/test-support';
import { startAdsHarness, type AdsHarness } from './test-support/ads-harness';

const JANUARY = { start: new Date('2024-01-01'), end: new Date('2024-01-31') };

/**
 * The highest usage (% of the quota) the fake Meta server reported for `accountId`: for every
 * answered call, the calls it had counted in the sliding window ending at that call, over the
 * quota (the `acc_id_util_pct` / `call_count` its usage headers carry).
 */
function highestMetaUsagePct(requests: readonly FakeMetaRecordedRequest[], accountId: string, quota: { calls: number; windowMs: number }): number {
  const counted = requests.filter((r) => r.accountId === accountId && r.status === 200).map((r) => r.at);
  return Math.max(0, ...counted.map((at) => (counted.filter((t) => t <= at && t > at - quota.windowMs).length / quota.calls) * 100));
}

// "Done when": with the platform refusing beyond a quota, the job completes with no refusal
// after the first and no attempt lost (waits are held inside the job, or deferred without using
// an attempt). Each quota is smaller than the job's five calls and its window far longer than
// the job needs for them, so the job must cross it. One job at a time: with two running at once,
// a call already on the wire when the first refusal comes back can be refused too, which no
// client can prevent.
describe('AD_ANALYSIS under the platforms’ throttling (end to end)', () => {
  let harness: AdsHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("Google: the seed's job meets RESOURCE_EXHAUSTED exactly once, then is paced, and completes on its first attempt", async () => {
    // 3 calls per 5 s: the 4th call (of 5) is refused; the 5 s retryDelay empties the window,
    // and the lowered rate (the one Google was answering) keeps the last two calls inside the quota.
    harness = await startAdsHarness({ google: { quota: { requests: 3, windowMs: 5000, retryDelaySeconds: 5 } } });
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId: 'acc_456', dateRange: JANUARY });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
    adAnalysisResultSchema.parse(done.returnvalue);
    expect(harness.google.refusals).toBe(1);
    // The quota crossed at the 4th call, nothing refused after it, and the job's calls all answered.
    const statuses = harness.google.requests.map((r) => r.status);
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 429]);
    expect(statuses.slice(4).length).toBeGreaterThanOrEqual(2);
    expect(statuses.slice(4).every((s) => s === 200)).toBe(true);
  }, 120_000);

  it('Meta: the usage headers reach the slow-down threshold, the calls are paced by them with no refusal, and the job completes on its first attempt', async () => {
    // 3 calls per 5 s: the usage headers say 33 %, 67 %, 100 % after the first three; the client
    // must wait for the reset they give before each further call.
    const quota = { calls: 3, windowMs: 5000 };
    harness = await startAdsHarness({ meta: { quota } });
    const job = await harness.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'meta', accountId: 'acc_789', dateRange: JANUARY });
    const done = await harness.finished(job.id as string);
    expect(done.failedReason).toBeUndefined();
    expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
    adAnalysisResultSchema.parse(done.returnvalue);
    expect(harness.meta.refusals).toBe(0);
    expect(harness.meta.requests.every((r) => r.status === 200)).toBe(true);
    const answered = harness.meta.requests.filter((r) => r.accountId === 'act_1234567890');
    expect(answered.length).toBeGreaterThan(quota.calls);
    // META_SLOW_DOWN_AT_PCT's default is 75.
    expect(harness.app.config.meta.slowDownAtPct).toBe(75);
    expect(highestMetaUsagePct(harness.meta.requests, 'act_1234567890', quota)).toBeGreaterThanOrEqual(75);
  }, 120_000);
});
