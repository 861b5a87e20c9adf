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

/** The provider refused the access token (HTTP 401). */
export class ProviderAuthError extends Error {
  override readonly name = 'ProviderAuthError';
}

/**
 * The sync cursor is too old for the provider (Gmail `history.list` 404; Graph delta 410
 * `syncStateNotFound`): the mailbox must be listed again from a date.
 */
export class CursorExpiredError extends Error {
  override readonly name = 'CursorExpiredError';
}

/** The thread, message or draft asked for does not exist in the mailbox (HTTP 404). */
export class ProviderNotFoundError extends Error {
  override readonly name = 'ProviderNotFoundError';
}

/** The provider failed for a passing reason (5xx, network error, timeout): try again. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}

/**
 * The provider refused the request for a reason retrying will not fix (400, a 403 that is not
 * throttling, e.g. a missing OAuth scope).
 */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';
}
