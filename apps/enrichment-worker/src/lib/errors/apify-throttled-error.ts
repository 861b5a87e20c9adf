/**
 * Apify answered 429 more often than its client's own retries could absorb. Thrown by
 * `ApifyActorRuns` (its `cause` is the client's `ApifyApiError`). {@link toJobError} defers the
 * job without using an attempt; the shared rate limiter has already paused every process.
 * Apify sends no `Retry-After` (docs.apify.com/api/v2 "Rate limiting": back off and retry).
 */
export class ApifyThrottledError extends Error {
  override readonly name = 'ApifyThrottledError';
  constructor(message = 'Apify answered 429 Too Many Requests', options?: ErrorOptions) {
    super(message, options);
  }
}
