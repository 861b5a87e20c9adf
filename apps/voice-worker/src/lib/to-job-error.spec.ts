import { LockLostError, PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import { CallRecordCorruptError, InvalidPhoneNumberError, VapiRejectedError, VapiThrottledError, VapiUnavailableError } from './errors';
import { DEFAULT_THROTTLE_DELAY_MS, LOCK_LOST_DELAY_MS, toJobError } from './to-job-error';

describe('toJobError (the voice worker\'s one map of errors to job outcomes)', () => {
  it('throttling is a retry after Retry-After (at least 1 s, 10 s when none), keeping the cause', () => {
    const throttled = new VapiThrottledError(5000, 'slow down');
    const out = toJobError(throttled);
    expect(out).toBeInstanceOf(RetryLaterError);
    expect((out as RetryLaterError).delayMs).toBe(5000);
    expect((out as Error).cause).toBe(throttled);
    expect((toJobError(new VapiThrottledError(null)) as RetryLaterError).delayMs).toBe(DEFAULT_THROTTLE_DELAY_MS);
    expect((toJobError(new VapiThrottledError(0)) as RetryLaterError).delayMs).toBe(1000);
  });

  it('a lost placing lock is a retry soon, not a failure', () => {
    const out = toJobError(new LockLostError('k', 'the key is gone'));
    expect(out).toBeInstanceOf(RetryLaterError);
    expect((out as RetryLaterError).delayMs).toBe(LOCK_LOST_DELAY_MS);
  });

  it('bad input, an unreadable record and a Vapi refusal fail the job for good', () => {
    for (const err of [new InvalidPhoneNumberError('phoneNumber: bad'), new CallRecordCorruptError('p:call:c', 'v: unknown'), new VapiRejectedError(404)]) {
      const out = toJobError(err);
      expect(out).toBeInstanceOf(PermanentJobError);
      expect((out as Error).message).toBe(err.message);
    }
  });

  it('a 401 is retried with backoff and says which setting to check; an outage is passed on as is', () => {
    const out = toJobError(new VapiRejectedError(401));
    expect(out).not.toBeInstanceOf(PermanentJobError);
    expect((out as Error).message).toMatch(/check VAPI_API_KEY$/);
    const outage = new VapiUnavailableError();
    expect(toJobError(outage)).toBe(outage);
  });
});
