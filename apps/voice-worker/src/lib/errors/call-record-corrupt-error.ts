/**
 * A call record read back from Redis is not one this worker can read: a version it does not
 * know, a field it does not know, or a field that does not parse (a `placingSince` that is not a
 * number, an `endReport` that is not the JSON it wrote). Thrown by `CallRecordStore.load`, naming
 * the key and the field. {@link toJobError} fails the job at once: retrying reads the same bytes,
 * and guessing could place a second call. Someone has to look at the key.
 */
export class CallRecordCorruptError extends Error {
  override readonly name = 'CallRecordCorruptError';
  constructor(
    /** The record's Redis key. */
    readonly key: string,
    /** What is wrong, field by field (`placingSince: expected digits`). */
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`Call record ${key} is unreadable: ${problem}`, options);
  }
}
