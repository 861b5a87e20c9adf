/**
 * A sliding-window request limiter: at most `limit` accepted requests per key in any window of
 * `windowMs`, less `slackMs` (a request at time `t` is in the window of `now` when
 * `t > now - windowMs + slackMs`). The slack is there because a client pacing itself at exactly
 * the limit still has its requests arrive a millisecond or two early or late (timers and the
 * network jitter), and should not be refused for that. Refused requests are not counted, so a
 * client that keeps hammering gets through again once its accepted requests age out.
 */
export class SlidingWindowRateLimiter {
  readonly #accepted = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
    readonly slackMs = 0,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit must be a positive integer, got ${limit}`);
    if (!(slackMs >= 0 && slackMs < windowMs)) throw new Error(`slackMs must be in [0, windowMs), got ${slackMs}`);
  }

  /** Accepts (and counts) a request for `key`, or returns false when the window is full. */
  tryAcquire(key: string): boolean {
    const now = this.now();
    const times = (this.#accepted.get(key) ?? []).filter((t) => t > now - this.windowMs + this.slackMs);
    const accepted = times.length < this.limit;
    if (accepted) times.push(now);
    this.#accepted.set(key, times);
    return accepted;
  }
}
