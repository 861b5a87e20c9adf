/**
 * One HTTP request (a single redirect hop: connect, headers and body) took longer than
 * `requestTimeoutMs`. Transient: the page is recorded with this message and no status, and the
 * audit carries on.
 */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';

  /** @param timeoutMs - the budget that ran out, in ms. */
  constructor(readonly timeoutMs: number) {
    super(`request timed out after ${timeoutMs} ms`);
  }
}
