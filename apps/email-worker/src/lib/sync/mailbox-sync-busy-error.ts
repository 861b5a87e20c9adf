/**
 * Another sync of the same mailbox holds its lock (MailboxLock), in this process or another:
 * two syncs would race on the cursor, so this one does not start. Not a failure of the job:
 * toJobError turns it into RetryLaterError, checking back within about 5 s (the other sync
 * usually ends well before its lock would expire) without using an attempt.
 */
export class MailboxSyncBusyError extends Error {
  override readonly name = 'MailboxSyncBusyError';
  constructor(
    /** `provider:accountId` of the mailbox. */
    readonly mailbox: string,
    /** Until the current holder's lock expires unless extended (ms). */
    readonly heldForMs: number,
  ) {
    super(`Another sync of ${mailbox} is running`);
  }
}
