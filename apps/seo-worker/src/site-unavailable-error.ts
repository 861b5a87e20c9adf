/**
 * The audited site's start page could not be fetched for a reason that may pass: a network
 * error (DNS, refused connection, timeout), HTTP 429 or 5xx, or a robots.txt that answered 5xx.
 * Transient: the worker retries the job with its backoff instead of completing an audit of
 * nothing with score 0. The last attempt's failure carries this message.
 */
export class SiteUnavailableError extends Error {
  override readonly name = 'SiteUnavailableError';
}
