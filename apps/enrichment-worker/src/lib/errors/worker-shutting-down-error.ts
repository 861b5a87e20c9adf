/**
 * The worker is shutting down while the job runs: the job stops at once and goes back to the
 * queue, and a running actor run is left running (the job picks it up again by its recorded id).
 * Thrown by the steps when the job's signal aborts with the kit's `SHUTDOWN_ABORT_REASON`.
 * {@link toJobError} passes it on as an ordinary failure (the kit hands the job back).
 */
export class WorkerShuttingDownError extends Error {
  override readonly name = 'WorkerShuttingDownError';
  constructor(message = 'worker shutting down: the job picks up from this batch again', options?: ErrorOptions) {
    super(message, options);
  }
}
