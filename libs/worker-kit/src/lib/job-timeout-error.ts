/**
 * A job's handler ran longer than its maximum run time (`WORKER_JOB_TIMEOUT_MS`, or the job
 * type's own from `jobTimeoutsMs`). The worker aborts the handler's signal with this error as
 * the reason, fails the attempt with it and frees the slot at once, even if the handler never
 * settles. Transient: retried with the job's backoff like any other failure.
 */
export class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';
  constructor(
    /** The maximum run time that passed, in ms. */
    readonly timeoutMs: number,
  ) {
    super(`job timed out: its handler ran longer than ${timeoutMs} ms`);
  }
}
