/**
 * The provider throttled this mailbox (HTTP 429, or Gmail's 403 `rateLimitExceeded` /
 * `userRateLimitExceeded`). `retryAfterMs` comes from `Retry-After` when the provider sent one.
 */
export class ProviderThrottledError extends Error {
  override readonly name = 'ProviderThrottledError';
  constructor(
    readonly retryAfterMs: number | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
