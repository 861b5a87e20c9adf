/**
 * The thread an `EMAIL_DRAFT` job names does not exist in its mailbox (the provider answered
 * 404), or holds no message to reply to (only drafts, or nothing). Retrying will not make it
 * appear: toJobError fails the job at once. `cause` keeps the provider's answer.
 */
export class ThreadNotFoundError extends Error {
  override readonly name = 'ThreadNotFoundError';
  constructor(
    /** The thread id from the job. */
    readonly threadId: string,
    message = `Thread ${threadId} does not exist`,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
