/** The mailbox has no usable grant: the user must reconnect it. Permanent for the job. */
export class MailboxNotConnectedError extends Error {
  override readonly name = 'MailboxNotConnectedError';
}
