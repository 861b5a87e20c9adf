/**
 * The sync cursor, or a saved page token, is too old for the provider: Gmail `history.list`
 * answers 404 for a history id older than it keeps (developers.google.com/gmail/api/guides/sync),
 * Graph answers 410 `syncStateNotFound` for an expired delta token
 * (learn.microsoft.com/graph/delta-query-messages), and Gmail refuses a stale page token with 400.
 *
 * Thrown by the providers' `sync`; syncMailbox catches it once per job and lists the mailbox
 * again from a date (telling the app with a `resync` event). It reaches toJobError only when
 * the fresh listing expires too, and is then retried like any passing failure.
 */
export class CursorExpiredError extends Error {
  override readonly name = 'CursorExpiredError';
}
