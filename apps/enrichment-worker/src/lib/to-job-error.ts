import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import { ApifyThrottledError, BatchRecordCorruptError, JobCancelledError } from './errors';

/** What {@link toJobError} needs besides the error. */
export interface ToJobErrorOptions {
  /** Wait before the job runs again after Apify throttled it (ms). */
  readonly throttleDelayMs: number;
}

/**
 * The one place where the enrichment worker's errors become job outcomes; every step's errors go
 * through it (the handler wraps the steps):
 * - {@link ApifyThrottledError} → RetryLaterError after `throttleDelayMs`, no attempt used;
 * - {@link JobCancelledError} and {@link BatchRecordCorruptError} → PermanentJobError (no
 *   retries: a cancel is final, and a retry would read the same unreadable record);
 * - anything else (WorkerShuttingDownError, ActorRunMissingError, the client's 5xx and network
 *   errors, Redis errors) is returned as is: a failed attempt, retried with the job's backoff.
 * `cause` is kept on every new error.
 */
export function toJobError(err: unknown, options: ToJobErrorOptions): unknown {
  if (err instanceof ApifyThrottledError) return new RetryLaterError(options.throttleDelayMs, err.message, { cause: err });
  if (err instanceof JobCancelledError || err instanceof BatchRecordCorruptError) return new PermanentJobError(err.message, { cause: err });
  return err;
}
