/** The receiver cannot take more now (its stream is full of unread events, or it said 429/503). */
export class SinkBackpressureError extends Error {
  override readonly name = 'SinkBackpressureError';
  constructor(
    readonly retryAfterMs: number,
    message: string,
  ) {
    super(message);
  }
}
