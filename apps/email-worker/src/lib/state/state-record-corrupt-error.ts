/**
 * A record this worker keeps in Redis (sync state, draft record) read back as something it
 * cannot use: not JSON, a field of the wrong shape, or a `version` it does not know (written by
 * a newer worker, or by hand). Retrying cannot fix it, so the job fails at once (toJobError →
 * PermanentJobError); the message names the key, what is wrong and what to do (`remedy`, e.g.
 * delete the key to resync). Thrown where the record is read, before anything uses it.
 */
export class StateRecordCorruptError extends Error {
  override readonly name = 'StateRecordCorruptError';
  constructor(
    /** The Redis key of the record. */
    readonly key: string,
    /** What is wrong with it, e.g. `checkpoint: not JSON`. */
    readonly problem: string,
    /** What an operator should do, e.g. `delete the key and the next sync lists the mailbox again`. */
    readonly remedy: string,
    options?: ErrorOptions,
  ) {
    super(`Stored record ${key} is unreadable (${problem}): ${remedy}`, options);
  }
}
