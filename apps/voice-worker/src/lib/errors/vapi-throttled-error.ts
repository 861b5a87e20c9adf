/**
 * Vapi refused for now: its rate limit (HTTP 429, with `Retry-After` in seconds or as an HTTP
 * date) or the organisation's concurrency limit (a 400 saying so, or a call answered 201 with
 * `subscriptionLimits.concurrencyBlocked`; docs.vapi.ai "Call concurrency"). Thrown by the Vapi
 * client and the steps; {@link toJobError} turns it into a retry after `retryAfterMs` (10 s when
 * Vapi gave none) that uses no attempt.
 */
export class VapiThrottledError extends Error {
  override readonly name = 'VapiThrottledError';
  constructor(
    /** Vapi's `Retry-After` in ms, or null when it sent none. */
    readonly retryAfterMs: number | null,
    message = 'Vapi throttled the request',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
