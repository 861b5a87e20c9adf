/**
 * Flushing and shutting down the tracer provider did not finish within `flushTimeoutMs`: the
 * collector did not answer in time. `Tracing.shutdown` logs it and goes on; the spans still
 * unsent are lost.
 */
export class SpanFlushTimeoutError extends Error {
  override readonly name = 'SpanFlushTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`span export did not finish within ${timeoutMs} ms`);
  }
}
