/**
 * The thread, message or draft asked for does not exist in the mailbox (HTTP 404).
 *
 * Thrown by mapGmailError / mapGraphError. Callers decide what absence means: a message gone
 * since it was listed is skipped, a draft the user deleted is written again, a thread that is
 * not there becomes ThreadNotFoundError (the job fails at once), and while looking for the
 * mailbox of a thread it means "not this one". Left to toJobError it is retried.
 */
export class ProviderNotFoundError extends Error {
  override readonly name = 'ProviderNotFoundError';
}
