/**
 * A URL given to `guardedRequest` (or a redirect's `Location`) cannot be requested: it does not
 * parse, or its scheme is not `http:` or `https:`. Permanent: the same URL fails the same way.
 */
export class UnsupportedUrlError extends Error {
  override readonly name = 'UnsupportedUrlError';

  /**
   * @param url - the URL text as given.
   * @param why - what is wrong with it, e.g. `not an absolute URL`.
   */
  constructor(
    readonly url: string,
    why: string,
  ) {
    super(`cannot request ${JSON.stringify(url)}: ${why} (only absolute http: and https: URLs are allowed)`);
  }
}
