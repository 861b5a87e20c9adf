import { RefusedAddressError, RequestTimeoutError, ResponseTooLargeError, TooManyRedirectsError, UnsupportedUrlError, describeFetchError } from '@jobs/net-guard';
import { parseRetryAfterMs } from '@jobs/worker-kit';
import type { StepResult } from '../../engine/step-kind';

type Failed = Extract<StepResult, { type: 'failed' }>;

/** Longest `Retry-After` honoured, ms (1 h, the engine's longest backoff); a longer one is cut to it. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * The failed result for a final response that is not a success (4xx, 5xx):
 * - 429 and 5xx are retryable; their `Retry-After` (seconds or an HTTP date) becomes
 *   `retryAfterMs`, at most {@link MAX_RETRY_AFTER_MS}.
 * - Any other 4xx is not: the same request will be refused again.
 * @param target - `METHOD origin/path` (no query: it may hold tokens), named in the error.
 * @param snippet - the start of the response body, for the error text.
 */
export function failureOfStatus(status: number, retryAfter: string | undefined, target: string, snippet: string, nowMs: number): Failed {
  const retryable = status === 429 || status >= 500;
  const error = `${target} answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  if (!retryable) return { type: 'failed', error, retryable: false };
  const retryAfterMs = parseRetryAfterMs(retryAfter, nowMs);
  return retryAfterMs === null
    ? { type: 'failed', error, retryable: true }
    : { type: 'failed', error, retryable: true, retryAfterMs: Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) };
}

/**
 * The failed result for a request that got no usable response:
 * - refused address, unsupported URL, too many redirects, response over the cap: not retryable
 *   (the same request fails the same way);
 * - timeout, DNS and network errors: retryable.
 * @param target - `METHOD origin/path`, named in the error.
 */
export function failureOfError(err: unknown, target: string): Failed {
  if (err instanceof RefusedAddressError || err instanceof UnsupportedUrlError || err instanceof TooManyRedirectsError || err instanceof ResponseTooLargeError) {
    return { type: 'failed', error: `${target}: ${err.message}`, retryable: false };
  }
  if (err instanceof RequestTimeoutError) return { type: 'failed', error: `${target}: ${err.message}`, retryable: true };
  return { type: 'failed', error: `${target}: ${describeFetchError(err)}`, retryable: true };
}
