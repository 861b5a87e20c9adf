import { Job } from 'bullmq';
import { waitFor } from '@jobs/test-support';
import { startWorkerTestBed, workflowData, type WorkerTestBed } from '../test-support/worker-test-bed';
import { DEFERRAL_COUNT_FIELDS } from './count-job-deferral';
import { RetryLaterError, WorkerRateLimitError } from './job-errors';

// Bounds are counted in starts, not time: a job deferred on every start must end failed after
// exactly (allowed deferrals + attempts) starts.
describe('bounds on deferrals that use no attempt', () => {
  let bed: WorkerTestBed;
  beforeEach(async () => {
    bed = await startWorkerTestBed('bounds');
  });
  afterEach(() => bed.close());

  const runUntilFailed = async (thrown: () => Error, env: Record<string, string>) => {
    const starts: number[] = [];
    bed.start(
      {
        WORKFLOW_EXECUTION: async ({ job }) => {
          starts.push(job.attemptsMade);
          throw thrown();
        },
      },
      env,
    );
    // Backoff of 1 ms between the two attempts: the count is what is tested, not the timing.
    const job = await bed.rawQueue.add('WORKFLOW_EXECUTION', workflowData('w'), { attempts: 2, backoff: 1 });
    await waitFor('the job to fail for good', async () => (await bed.rawQueue.getJobState(job.id!)) === 'failed', { timeoutMs: 30_000 });
    return { starts, stored: (await Job.fromId(bed.rawQueue, job.id!))! };
  };

  it('a WorkerRateLimitError on every start: 3 hits use no attempt, then each hit is a failed attempt (5 starts for 2 attempts)', async () => {
    const { starts, stored } = await runUntilFailed(() => new WorkerRateLimitError(20, 'provider throttles our key'), {
      RATE_LIMIT_MAX_DEFERRALS: '3',
    });
    expect(starts).toEqual([0, 0, 0, 0, 1]);
    expect(stored.attemptsMade).toBe(2);
    expect(stored.failedReason).toBe('provider throttles our key');
    expect(await bed.redis.hget(bed.rawQueue.toKey(stored.id!), DEFERRAL_COUNT_FIELDS.rateLimit)).toBe('5');
    expect(bed.lines.filter((l) => l['msg'] === 'rate limited too often: this hit uses an attempt')).toHaveLength(2);
  }, 40_000);

  it('a RetryLaterError on every start: 3 deferrals use no attempt, then each is a failed attempt (5 starts for 2 attempts)', async () => {
    const { starts, stored } = await runUntilFailed(() => new RetryLaterError(20, 'mailbox throttled'), {
      RETRY_LATER_MAX_DEFERRALS: '3',
    });
    expect(starts).toEqual([0, 0, 0, 0, 1]);
    expect(stored.attemptsMade).toBe(2);
    expect(stored.failedReason).toBe('mailbox throttled');
    expect(bed.lines.filter((l) => l['msg'] === 'deferred for too long: this deferral uses an attempt')).toHaveLength(2);
  }, 40_000);

  it('with a bound of 0 the first deferral already uses an attempt', async () => {
    const { starts } = await runUntilFailed(() => new RetryLaterError(20, 'throttled'), { RETRY_LATER_MAX_DEFERRALS: '0' });
    expect(starts).toEqual([0, 1]);
  });
});
