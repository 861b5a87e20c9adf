/**
 * The sync cursor is too old for the provider (Gmail `history.list` 404; Graph delta 410
 * `syncStateNotFound`): the mailbox must be listed again from a date.
 */
export class CursorExpiredError extends Error {
  override readonly name = 'CursorExpiredError';
}
