import { setTimeout as sleep } from 'node:timers/promises';

/**
 * At most `perSecond` calls start in any one second, across everything that shares this
 * limiter (every job of the worker process): callers are served one at a time, in order, each
 * at least `1000 / perSecond` ms (plus `marginRatio`, so that network jitter cannot bunch two
 * calls closer than the provider counts) after the previous call was actually let through.
 * `pauseFor(ms)` lets no call through for `ms`, as a provider's `Retry-After` asks.
 *
 * Spacing is measured from the moment each call was let through, read from the clock after
 * waking, never from a slot booked in advance: on a busy machine a timer wakes late, and booked
 * slots that all fell due during the delay would be released together, a burst the provider
 * counts as one second over the limit. Measured this way a late wake-up only pushes later
 * calls later. Written here because the well-known limiters are either unmaintained
 * (bottleneck) or ESM-only (p-throttle), and the whole need is these lines.
 */
export class RateLimiter {
  private lastCallAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  /** The last caller in line; the next one waits for it to be let through (or give up). */
  private line: Promise<void> = Promise.resolve();
  private readonly spacingMs: number;

  constructor(
    readonly perSecond: number,
    marginRatio = 0.05,
    private readonly now: () => number = Date.now,
  ) {
    this.spacingMs = (1000 / perSecond) * (1 + marginRatio);
  }

  /**
   * Resolves when the caller may make its call, with the limiter's clock reading (ms) at the
   * moment it let the call through (what the spacing of the next call is counted from).
   * @throws the signal's reason when aborted while waiting (at once, even while others are ahead in line).
   */
  take(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    const turn = this.line.then(() => this.waitForSlot(signal));
    this.line = turn.then(
      () => undefined,
      () => undefined,
    );
    if (!signal) return turn;
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** No call starts for `ms` from now (a 429's Retry-After). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private async waitForSlot(signal: AbortSignal | undefined): Promise<number> {
    for (;;) {
      // A caller that gave up while in line takes no slot.
      signal?.throwIfAborted();
      const now = this.now();
      const at = Math.max(this.lastCallAt + this.spacingMs, this.pausedUntil);
      if (now >= at) {
        this.lastCallAt = now;
        return now;
      }
      // Re-read the clock after waking: a timer may fire a little early by the wall clock.
      await sleep(at - now, undefined, { signal });
    }
  }
}
