/**
 * The job was cancelled (`worker.cancelJob`, not a shutdown): no further actor run starts, and
 * the one running was aborted. Thrown by the steps when the job's signal aborts for any reason
 * other than a shutdown. {@link toJobError} fails the job at once: cancelled means stopped for
 * good, and a retry would start the next batches.
 */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(message = 'Job cancelled', options?: ErrorOptions) {
    super(message, options);
  }
}
