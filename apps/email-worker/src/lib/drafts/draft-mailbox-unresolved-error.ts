/**
 * An `EMAIL_DRAFT` job that does not name its mailbox could not be given one: the user has no
 * (matching) connected mailbox, no mailbox holds the thread, or several do. Thrown by
 * findThreadMailbox with a message saying which, and what the caller should do (connect a
 * mailbox, or pass `accountId` and `emailProvider`).
 *
 * Retrying asks the same question and gets the same answer, so toJobError fails the job at
 * once (PermanentJobError). A passing failure while asking (throttling, 5xx) is not this error:
 * it is thrown as is and retried.
 */
export class DraftMailboxUnresolvedError extends Error {
  override readonly name = 'DraftMailboxUnresolvedError';
  constructor(
    /** The user whose mailboxes were searched. */
    readonly userId: string,
    /** The thread searched for. */
    readonly threadId: string,
    message: string,
  ) {
    super(message);
  }
}
