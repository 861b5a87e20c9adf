import { setTimeout as sleep } from 'node:timers/promises';

/**
 * At most `perSecond` calls start in any one second, across everything that shares this
 * limiter (every job of the worker process): each `take()` is given the next free slot, slots
 * `1000 / perSecond` ms apart (plus `marginRatio`, so that network jitter cannot bunch two
 * calls closer than the provider counts). `pauseFor(ms)` moves every later slot out, as a
 * provider's `Retry-After` asks. Written here because the well-known limiters are either
 * unmaintained (bottleneck) or ESM-only (p-throttle), and the whole need is these lines.
 */
export class RateLimiter {
  private nextSlotAt = 0;
  private readonly spacingMs: number;

  constructor(
    readonly perSecond: number,
    marginRatio = 0.05,
    private readonly now: () => number = Date.now,
  ) {
    this.spacingMs = (1000 / perSecond) * (1 + marginRatio);
  }

  /** Resolves when the caller may make its call. @throws the signal's reason when aborted while waiting. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = at + this.spacingMs;
    if (at > now) await sleep(at - now, undefined, { signal });
  }

  /** No call starts for `ms` from now (a 429's Retry-After). */
  pauseFor(ms: number): void {
    this.nextSlotAt = Math.max(this.nextSlotAt, this.now() + ms);
  }
}
