/** Vapi refused for now: rate limit (429) or the organisation's concurrency limit. Retry later. */
export class VapiThrottledError extends Error {
  override readonly name = 'VapiThrottledError';
  constructor(
    readonly retryAfterMs: number | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Vapi refused the request for a reason retrying will not fix (400 other than concurrency, 401, 403, 404). */
export class VapiRejectedError extends Error {
  override readonly name = 'VapiRejectedError';
  constructor(
    readonly statusCode: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Vapi failed for a passing reason (5xx, timeout, no answer). */
export class VapiUnavailableError extends Error {
  override readonly name = 'VapiUnavailableError';
}
