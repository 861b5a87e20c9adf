/**
 * The job cannot succeed however often it is tried (bad input, a resource that is gone).
 * The worker fails it at once, with no further attempts. `cause` is kept.
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/**
 * This job should run again after `delayMs` ms, without using up an attempt: e.g. one
 * mailbox's provider answered 429 with `Retry-After`. Other jobs keep running.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly delayMs: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A limit shared by the whole worker was hit (e.g. the provider throttles our API key): the
 * worker pauses taking jobs for `delayMs` ms and this job goes back to wait, without using up
 * an attempt (BullMQ's manual rate limit).
 */
export class WorkerRateLimitError extends Error {
  override readonly name = 'WorkerRateLimitError';
  constructor(
    readonly delayMs: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The job is not failing: it waits `delayMs` ms (a call in progress to check on later, calling
 * hours to wait for) and then runs its handler again, which picks up from the state it keeps
 * outside the job. No attempt is used and, unlike RetryLaterError, there is no age ceiling:
 * waiting is the job's plan, not a symptom. BullMQ's delayed-step pattern; `job.promote()`
 * wakes it early.
 */
export class WaitError extends Error {
  override readonly name = 'WaitError';
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
  }
}
