/**
 * A run record or stored definition in Redis that is not what the schema says (not JSON, another
 * version, a field missing): someone wrote the key by hand, or a newer or older engine did. The
 * message names the key (and the hash field for a definition) and what is wrong; `cause` holds
 * the parse error. Retrying reads the same bytes: look at the key.
 */
export class UnreadableWorkflowRecordError extends Error {
  override readonly name = 'UnreadableWorkflowRecordError';
  constructor(
    /** The Redis key read, e.g. `bull:workflow:run:run_3f1c…`. */
    readonly key: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Unreadable workflow record at Redis key "${key}": ${reason}`, options);
  }
}
