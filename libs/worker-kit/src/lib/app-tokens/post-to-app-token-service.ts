import type { AppTokenServiceOptions } from './app-token-service-options';

/**
 * `POST`s `body` as JSON to the app's token endpoint with the shared secret, bounded by
 * `options.timeoutMs` (default 10 s) and `signal`. The one place every call to the endpoint
 * goes through, so they all fail the same way.
 *
 * @returns the response for any status other than 401/403 (the caller reads the status).
 * @throws Error (transient) when the endpoint does not answer, naming only its origin (the path
 *   and the secret stay out of logs); Error when it answers 401/403, saying to check
 *   `options.secretVariable`; the signal's reason when aborted.
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
  return response;
}
