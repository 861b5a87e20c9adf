import { RetryLaterError } from '../job-errors';
import { parseRetryAfterMs } from '../parse-retry-after';
import type { AppTokenServiceOptions } from './app-token-service-options';

/** Shortest wait taken from the token service's `Retry-After` (ms): `0` would start the job again at once. */
export const APP_TOKEN_SERVICE_MIN_RETRY_AFTER_MS = 1000;
/**
 * Longest wait taken from the token service's `Retry-After` (ms): 15 minutes. A longer one is
 * cut to this, so the job checks back; how often it may be deferred is the kit's bound on
 * `RetryLaterError` (`RETRY_LATER_MAX_DEFERRALS`, `RETRY_LATER_MAX_AGE_MS`).
 */
export const APP_TOKEN_SERVICE_MAX_RETRY_AFTER_MS = 15 * 60_000;

/** Statuses by which an endpoint says "busy, ask again later" (RFC 9110 §15.6.4, RFC 6585 §4). */
const BUSY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * `POST`s `body` as JSON to the app's token endpoint with the shared secret, bounded by
 * `options.timeoutMs` (default 10 s) and `signal`. The one place every call to the endpoint
 * goes through, so they all fail the same way.
 *
 * @returns the response for any status other than 401/403, and other than 429/503 with a
 *   readable `Retry-After` (the caller reads the status; a 429/503 without one is the caller's
 *   transient failure, as any other status).
 * @throws Error (transient) when the endpoint does not answer, naming only its origin (the path
 *   and the secret stay out of logs); Error when it answers 401/403, saying to check
 *   `options.secretVariable`; `RetryLaterError` when it answers 429 or 503 with `Retry-After`
 *   (seconds or an HTTP date, read by `parseRetryAfterMs`): the job waits that long, at least
 *   {@link APP_TOKEN_SERVICE_MIN_RETRY_AFTER_MS} and at most
 *   {@link APP_TOKEN_SERVICE_MAX_RETRY_AFTER_MS}, without using an attempt (bounded as every
 *   `RetryLaterError` is); the signal's reason when aborted.
 */
export async function postToAppTokenService(options: AppTokenServiceOptions, body: unknown, signal?: AbortSignal): Promise<Response> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.secret}` },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new Error(`The token service at ${new URL(options.url).origin} did not answer: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new Error(`The token service refused the worker's shared secret (HTTP ${response.status}): check ${options.secretVariable}`);
  }
  if (BUSY_STATUSES.has(response.status)) {
    const asked = parseRetryAfterMs(response.headers.get('retry-after'));
    if (asked !== null) {
      await response.body?.cancel();
      const delayMs = Math.min(APP_TOKEN_SERVICE_MAX_RETRY_AFTER_MS, Math.max(APP_TOKEN_SERVICE_MIN_RETRY_AFTER_MS, asked));
      throw new RetryLaterError(delayMs, `The token service is busy (HTTP ${response.status}, Retry-After ${Math.ceil(asked / 1000)} s): the job continues in ${Math.ceil(delayMs / 1000)} s`);
    }
  }
  return response;
}
