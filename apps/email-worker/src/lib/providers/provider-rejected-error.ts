/**
 * The provider refused the request for a reason retrying will not fix: a 400, or a 403 that is
 * not throttling (e.g. a missing OAuth scope); also a draft Gmail put outside the thread it
 * was meant for.
 *
 * Thrown by mapGmailError / mapGraphError and the providers. toJobError fails the job at once
 * (PermanentJobError) with the provider's reason; while looking for the mailbox of a thread it
 * only rules that mailbox out.
 */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';
}
