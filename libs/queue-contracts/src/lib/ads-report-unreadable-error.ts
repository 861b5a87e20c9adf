/**
 * A stored ads report that cannot be read back: the value at its key is not gzip data, or
 * inflates beyond the reader's bound. The message names the key; `cause` holds zlib's error.
 * Not transient: reading again returns the same bytes.
 */
export class UnreadableAdReportError extends Error {
  override readonly name = 'UnreadableAdReportError';
  constructor(
    readonly key: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`The ads report at ${key} cannot be read: ${reason}`, options);
  }
}
