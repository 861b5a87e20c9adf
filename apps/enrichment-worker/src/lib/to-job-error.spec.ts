import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import { ActorRunMissingError, ApifyThrottledError, BatchRecordCorruptError, JobCancelledError, WorkerShuttingDownError } from './errors';
import { toJobError } from './to-job-error';

describe('toJobError', () => {
  const options = { throttleDelayMs: 1500 };

  it('defers a throttled job by throttleDelayMs without using an attempt, keeping the cause', () => {
    const throttled = new ApifyThrottledError();
    const mapped = toJobError(throttled, options);
    expect(mapped).toBeInstanceOf(RetryLaterError);
    expect((mapped as RetryLaterError).delayMs).toBe(1500);
    expect((mapped as Error).cause).toBe(throttled);
  });

  it('fails a cancelled job and an unreadable batch record at once, with their messages', () => {
    for (const err of [new JobCancelledError('Job cancelled: actor run r1 aborted'), new BatchRecordCorruptError('p:job:1:2', '0', 'not JSON')]) {
      const mapped = toJobError(err, options);
      expect(mapped).toBeInstanceOf(PermanentJobError);
      expect((mapped as Error).message).toBe(err.message);
      expect((mapped as Error).cause).toBe(err);
    }
  });

  it('leaves everything else a failed attempt, retried with backoff', () => {
    for (const err of [new WorkerShuttingDownError(), new ActorRunMissingError('r1'), new Error('socket hang up')]) {
      expect(toJobError(err, options)).toBe(err);
    }
  });
});
