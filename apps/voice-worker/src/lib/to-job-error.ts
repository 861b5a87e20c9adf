import { LockLostError, PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import { CallRecordCorruptError, InvalidPhoneNumberError, VapiRejectedError, VapiThrottledError } from './errors';

/** Wait when Vapi throttles without `Retry-After` (ms). */
export const DEFAULT_THROTTLE_DELAY_MS = 10_000;
/** Shortest wait after a throttle (ms): a `Retry-After: 0` must not spin the job. */
export const MIN_THROTTLE_DELAY_MS = 1000;
/** Wait after the placing lock was lost (ms): the job that holds it now has placed or recorded the call by then, or the lock is free again. */
export const LOCK_LOST_DELAY_MS = 2000;

/**
 * The one place where the voice worker's errors become job outcomes; every step's errors go
 * through it (the handler wraps the steps):
 * - {@link VapiThrottledError} → RetryLaterError after Vapi's `Retry-After` (at least 1 s,
 *   10 s when none), no attempt used;
 * - LockLostError (the placing lock was lost mid-placing) → RetryLaterError after 2 s: another
 *   job may be placing the call, the next run finds its record or its call;
 * - {@link InvalidPhoneNumberError}, {@link CallRecordCorruptError} and a
 *   {@link VapiRejectedError} other than 401 → PermanentJobError (no retries; the message names
 *   the field or the key);
 * - a 401 → a plain Error saying to check `VAPI_API_KEY`, retried with backoff (keys rotate);
 * - anything else (VapiUnavailableError included) is returned as is: a failed attempt, retried
 *   with the job's backoff. `cause` is kept on every new error.
 */
export function toJobError(err: unknown): unknown {
  if (err instanceof VapiThrottledError) {
    return new RetryLaterError(Math.max(MIN_THROTTLE_DELAY_MS, err.retryAfterMs ?? DEFAULT_THROTTLE_DELAY_MS), err.message, { cause: err });
  }
  if (err instanceof LockLostError) return new RetryLaterError(LOCK_LOST_DELAY_MS, `stopped placing: ${err.message}`, { cause: err });
  if (err instanceof InvalidPhoneNumberError || err instanceof CallRecordCorruptError) return new PermanentJobError(err.message, { cause: err });
  if (err instanceof VapiRejectedError) {
    if (err.statusCode === 401) return new Error(`${err.message}: check VAPI_API_KEY`, { cause: err });
    return new PermanentJobError(err.message, { cause: err });
  }
  return err;
}
