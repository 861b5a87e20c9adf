/**
 * The receiver of sync events cannot take more now: its Redis Stream holds too many unread
 * events, or its webhook answered 429 or 503.
 *
 * Thrown by the sinks' `deliver` before anything of the page is recorded, so nothing is lost.
 * toJobError turns it into RetryLaterError after `retryAfterMs`: the sync waits without using an
 * attempt and resumes from its checkpoint.
 */
export class SinkBackpressureError extends Error {
  override readonly name = 'SinkBackpressureError';
  constructor(
    /** The receiver's `Retry-After`, else the sink's configured back-off (ms). */
    readonly retryAfterMs: number,
    message: string,
  ) {
    super(message);
  }
}
