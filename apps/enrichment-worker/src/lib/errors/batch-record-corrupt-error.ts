/**
 * A batch record read back from Redis is not one this worker can read: not JSON, a version it
 * does not know, a field it does not know or of the wrong shape. Thrown by
 * `BatchStateStore.loadAll`, naming the key, the batch (hash field) and the problem.
 * {@link toJobError} fails the job at once: a retry reads the same bytes, and guessing could start
 * a second paid actor run. Someone has to look at the key.
 */
export class BatchRecordCorruptError extends Error {
  override readonly name = 'BatchRecordCorruptError';
  constructor(
    /** The job's Redis hash. */
    readonly key: string,
    /** The hash field: the batch's index. */
    readonly field: string,
    /** What is wrong (`outcomes.0.status: Invalid option`). */
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`Batch record ${key} field ${field} is unreadable: ${problem}`, options);
  }
}
