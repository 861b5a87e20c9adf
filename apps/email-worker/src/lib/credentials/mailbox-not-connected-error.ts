/**
 * The mailbox has no usable grant: the app's token endpoint answers 404 or 409 for it (not
 * connected, or to be reconnected), or the provider refused a freshly issued access token.
 *
 * Thrown by the access token provider and withAccessToken, with a message naming the mailbox.
 * Only the user can fix it (by reconnecting the mailbox), so toJobError fails the job at once
 * (PermanentJobError); while looking for the mailbox of a thread it only rules that mailbox out.
 */
export class MailboxNotConnectedError extends Error {
  override readonly name = 'MailboxNotConnectedError';
}
