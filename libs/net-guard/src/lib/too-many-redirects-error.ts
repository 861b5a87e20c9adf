/**
 * A request was redirected more than the caller's `maxRedirects` times. Permanent for the same
 * URL: the redirect chain will not get shorter by retrying.
 */
export class TooManyRedirectsError extends Error {
  override readonly name = 'TooManyRedirectsError';

  /**
   * @param url - the URL the last redirect pointed to (not requested).
   * @param maxRedirects - the limit that was exceeded.
   */
  constructor(
    readonly url: string,
    readonly maxRedirects: number,
  ) {
    super(`too many redirects (more than maxRedirects = ${maxRedirects}); the last one pointed to ${url}`);
  }
}
