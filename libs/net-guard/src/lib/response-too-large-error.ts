/**
 * A response body was longer than the caller's `maxResponseBytes` cap (decoded bytes, or the
 * announced `Content-Length`). Reading stopped at the cap and the connection was closed, so no
 * more than the cap was held in memory.
 *
 * Permanent for the same request: the same endpoint will answer as much again. Raise the cap or
 * make the endpoint answer less.
 */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';

  /**
   * @param url - the URL whose response was too large.
   * @param maxResponseBytes - the cap that was exceeded, in bytes.
   */
  constructor(
    readonly url: string,
    readonly maxResponseBytes: number,
  ) {
    super(`the response from ${url} is larger than maxResponseBytes (${maxResponseBytes} bytes); reading stopped at the cap`);
  }
}
