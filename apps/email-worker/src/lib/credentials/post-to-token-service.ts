/** Where the web app's token endpoint is and how the worker proves itself to it. */
export interface TokenServiceOptions {
  /** The app's token endpoint (`EMAIL_TOKEN_URL`), e.g. `https://app.internal/internal/mail-tokens`. */
  readonly url: string;
  /** Shared secret sent as `Authorization: Bearer <secret>` (`EMAIL_TOKEN_SECRET`). */
  readonly secret: string;
  /** Per request (ms); default 10000. */
  readonly timeoutMs?: number;
}

/**
 * `POST`s `body` as JSON to the app's token endpoint with the shared secret, bounded by
 * `timeoutMs` and `signal`. The one place both of the endpoint's calls (access tokens, mailbox
 * list) reach the app, so both fail the same way.
 *
 * @returns the response for any status other than 401/403 (the caller reads the status).
 * @throws Error (transient) when the endpoint does not answer, naming only its origin (the path
 *   and secret stay out of logs); Error when it answers 401/403, saying to check
 *   `EMAIL_TOKEN_SECRET`; the signal's reason when aborted.
 */
export async function postToTokenService(options: TokenServiceOptions, body: unknown, signal?: AbortSignal): Promise<Response> {
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
    throw new Error(`The token service at ${new URL(options.url).origin} did not answer: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (response.status === 401 || response.status === 403) {
    throw new Error(`The token service refused the worker's shared secret (HTTP ${response.status}): check EMAIL_TOKEN_SECRET`);
  }
  return response;
}
