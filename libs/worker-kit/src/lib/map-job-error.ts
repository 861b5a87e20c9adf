import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { countJobDeferral, DEFERRAL_COUNT_FIELDS } from './count-job-deferral';
import { PermanentJobError, RetryLaterError, WaitError, WorkerRateLimitError } from './job-errors';
import type { Logger } from './logger-type';
import { redactError } from './redact-error';
import type { WorkerConfig } from './worker-config';

/** What {@link mapJobError} needs besides the error. */
export interface JobErrorContext {
  readonly job: Job;
  /** The worker's lock token of the job (needed to move it to delayed). */
  readonly token: string | undefined;
  /** A producer-side handle of the job's queue (rate limits, deferral counters). */
  readonly queue: Queue;
  readonly config: Pick<WorkerConfig, 'retryLaterMaxAgeMs' | 'retryLaterMaxDeferrals' | 'rateLimitMaxDeferrals'>;
  readonly log: Logger;
}

/**
 * Turns anything a handler threw into what BullMQ should do with the job, and the error BullMQ
 * may store (its message becomes `failedReason`, its stack the `stacktrace`, kept in Redis for
 * days and shown by dashboards), so every error that leaves here is a redacted copy
 * (`redactError`: registered secret values, URL credentials, bearer tokens, in message, stack,
 * properties and causes).
 *
 * - `WaitError` → delayed by its `delayMs`, no attempt used, no bound (a planned wait).
 * - `RetryLaterError` → delayed by its `delayMs`, no attempt used, until the job has been
 *   deferred `retryLaterMaxDeferrals` times or is `retryLaterMaxAgeMs` old; past either, the
 *   deferral is a failed attempt (retried with backoff).
 * - `WorkerRateLimitError` → the whole queue paused for `delayMs`, the job back to wait with no
 *   attempt used, until the job has hit `rateLimitMaxDeferrals` limits; past it the queue is
 *   still paused but the hit is a failed attempt.
 * - `PermanentJobError` → `UnrecoverableError`: failed now, no retries.
 * - anything else (`JobTimeoutError` included) → a failed attempt, retried with the job's backoff.
 * Deferrals are counted in the job's hash (`countJobDeferral`), so the bounds hold across
 * workers and restarts.
 * @returns the error for BullMQ to handle (`DelayedError`, the rate-limit error, or the redacted
 *   failure).
 */
export async function mapJobError(err: unknown, ctx: JobErrorContext): Promise<Error> {
  const { job, token, queue, config, log } = ctx;
  if (err instanceof WaitError) {
    log.info({ delayMs: err.delayMs, reason: err.message }, 'job waiting');
    await job.moveToDelayed(Date.now() + err.delayMs, token);
    return new DelayedError();
  }
  if (err instanceof RetryLaterError) {
    const deferrals = await countJobDeferral(queue, job.id ?? '', DEFERRAL_COUNT_FIELDS.retryLater);
    const tooOld = Date.now() - job.timestamp > config.retryLaterMaxAgeMs;
    if (tooOld || deferrals > config.retryLaterMaxDeferrals) {
      log.warn(
        { reason: err.message, deferrals, retryLaterMaxDeferrals: config.retryLaterMaxDeferrals, retryLaterMaxAgeMs: config.retryLaterMaxAgeMs },
        'deferred for too long: this deferral uses an attempt',
      );
      return redactError(err);
    }
    log.warn({ delayMs: err.delayMs, reason: err.message, deferrals }, 'retrying later without using an attempt');
    await job.moveToDelayed(Date.now() + err.delayMs, token);
    return new DelayedError();
  }
  if (err instanceof WorkerRateLimitError) {
    const hits = await countJobDeferral(queue, job.id ?? '', DEFERRAL_COUNT_FIELDS.rateLimit);
    log.warn({ delayMs: err.delayMs, reason: err.message, hits }, 'rate limited: pausing the queue');
    await queue.rateLimit(err.delayMs);
    if (hits > config.rateLimitMaxDeferrals) {
      log.warn({ hits, rateLimitMaxDeferrals: config.rateLimitMaxDeferrals }, 'rate limited too often: this hit uses an attempt');
      return redactError(err);
    }
    return Worker.RateLimitError();
  }
  if (err instanceof PermanentJobError) {
    const unrecoverable = new UnrecoverableError(err.message);
    // The handler's stack says where it gave up; this line's would not.
    unrecoverable.stack = err.stack;
    return redactError(unrecoverable);
  }
  // Anything else is transient: retried with the job's backoff.
  return redactError(err);
}
