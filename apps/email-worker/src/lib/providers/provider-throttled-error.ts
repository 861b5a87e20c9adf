/**
 * The provider or the chat API throttled this mailbox or key (HTTP 429, or Gmail's 403
 * `rateLimitExceeded` / `userRateLimitExceeded`, developers.google.com/gmail/api/guides/handle-errors).
 *
 * Thrown by mapGmailError / mapGraphError and the reply writer, never retried in place (that
 * would hold the worker slot). toJobError turns it into RetryLaterError: only this job waits,
 * `retryAfterMs` when the provider sent `Retry-After`, else 30 s, bounded to 1 s … 15 min,
 * without using an attempt.
 */
export class ProviderThrottledError extends Error {
  override readonly name = 'ProviderThrottledError';
  constructor(
    /** From the answer's `Retry-After` (seconds or an HTTP date, parseRetryAfterMs), null without one (ms). */
    readonly retryAfterMs: number | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
