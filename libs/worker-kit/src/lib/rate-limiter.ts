import { setTimeout as sleep } from 'node:timers/promises';
import type { AppRedis } from './connect-app-redis';

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** A connected client; the limiter defines its two Lua commands on it. */
  readonly redis: AppRedis;
  /**
   * The Redis hash shared by every process that calls the same provider with the same quota,
   * e.g. `<BULLMQ_PREFIX>:enrichment-worker:rate-limit:apify`. Fields, both whole µs by Redis's
   * clock: `lastCallAt` (when the last call was let through) and `pausedUntil` (no call before
   * it). Expires a minute after its last use, or after the pause's end.
   */
  readonly key: string;
  /** Calls allowed in any one second, over every process sharing `key`. */
  readonly perSecond: number;
  /** Added to the spacing (default 0.05, so 10/s spaces calls 105 ms): network jitter cannot bunch two calls closer than the provider counts. */
  readonly marginRatio?: number;
}

// Both scripts read Redis's own clock (TIME): every process and host is judged by one clock, and
// the moment a call is let through is the moment Redis decided it, not a booking made earlier.
// Times are whole microseconds (exact in Lua's doubles up to 2^53, i.e. for 285 years) and go
// back as strings, because Redis truncates a Lua number it returns to an integer.
const NOW_US = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000000 + tonumber(t[2])`;
const IDLE_TTL_MS = 60_000;

// ARGV: spacing (µs). Returns {1, now (µs)} when let through, else {0, µs to wait}.
const TAKE_LUA = `${NOW_US}
local v = redis.call('HMGET', KEYS[1], 'lastCallAt', 'pausedUntil')
local at = math.max((tonumber(v[1]) or 0) + tonumber(ARGV[1]), tonumber(v[2]) or 0)
if now < at then return {0, string.format('%.0f', at - now)} end
redis.call('HSET', KEYS[1], 'lastCallAt', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(0, (tonumber(v[2]) or 0) - now) / 1000) + ${IDLE_TTL_MS})
return {1, string.format('%.0f', now)}`;

// ARGV: pause (µs). A shorter pause never cuts a longer one short. Returns the pause's end (µs).
const PAUSE_LUA = `${NOW_US}
local untilUs = math.max(now + tonumber(ARGV[1]), tonumber(redis.call('HGET', KEYS[1], 'pausedUntil')) or 0)
redis.call('HSET', KEYS[1], 'pausedUntil', string.format('%.0f', untilUs))
redis.call('PEXPIRE', KEYS[1], math.ceil((untilUs - now) / 1000) + ${IDLE_TTL_MS})
return string.format('%.0f', untilUs)`;

// Returns the ms left of the pause (rounded up; 0 when none), as a string.
const PAUSED_FOR_LUA = `${NOW_US}
local untilUs = tonumber(redis.call('HGET', KEYS[1], 'pausedUntil')) or 0
return string.format('%.0f', math.max(0, math.ceil((untilUs - now) / 1000)))`;

interface RateLimitCommands {
  sharedRateTake(key: string, spacingUs: string): Promise<[number, string]>;
  sharedRatePause(key: string, us: string): Promise<string>;
  sharedRatePausedFor(key: string): Promise<string>;
}

/**
 * At most `perSecond` calls start in any one second across every process that shares `key`
 * (every replica of the worker): each call at least `1000 / perSecond` ms (plus the margin)
 * after the previous one was let through, by Redis's clock. `pauseFor(ms)` lets no call of any
 * process through for `ms`, as a provider's 429 asks.
 *
 * Spacing is counted from the moment Redis let the previous call through, never from a slot
 * booked in advance: on a busy machine a timer wakes late, and booked slots that all fell due
 * meanwhile would go out together, a burst the provider counts as one second over the limit.
 * Counted this way a late wake-up only pushes later calls later (GCRA with a burst of one).
 * Within a process callers are served one at a time, in order, so a process sends Redis one
 * request at a time.
 *
 * Why two Lua scripts and not a library: rate-limiter-flexible 11.4 counts in fixed windows of
 * whole seconds (`Math.floor(msDuration / 1000)`), so 10/s lets 20 through across a window edge
 * and cannot express a 105 ms spacing; redis-gcra 0.3 depends on ioredis < 5 and stamps calls
 * with each client's clock; async-ratelimiter 1.6 stamps with the client's clock and reports its
 * reset in whole seconds; bottleneck (whose cluster mode does exactly this) is unmaintained.
 * BullMQ's own limiter counts jobs started, not calls made inside a job.
 */
export class RateLimiter {
  readonly spacingMs: number;
  private readonly redis: AppRedis & RateLimitCommands;
  /** The last caller in line in this process; the next one waits for it to be let through (or give up). */
  private line: Promise<void> = Promise.resolve();

  constructor(private readonly options: RateLimiterOptions) {
    this.spacingMs = (1000 / options.perSecond) * (1 + (options.marginRatio ?? 0.05));
    const redis = options.redis as AppRedis & Partial<RateLimitCommands>;
    if (!redis.sharedRateTake) redis.defineCommand('sharedRateTake', { numberOfKeys: 1, lua: TAKE_LUA });
    if (!redis.sharedRatePause) redis.defineCommand('sharedRatePause', { numberOfKeys: 1, lua: PAUSE_LUA });
    if (!redis.sharedRatePausedFor) redis.defineCommand('sharedRatePausedFor', { numberOfKeys: 1, lua: PAUSED_FOR_LUA });
    this.redis = redis as AppRedis & RateLimitCommands;
  }

  /** Calls allowed in any one second. */
  get perSecond(): number {
    return this.options.perSecond;
  }

  /**
   * Resolves when the caller may make its call, with Redis's clock (ms) at the moment it let
   * the call through (what the spacing of the next call, of any process, is counted from).
   * @throws the signal's reason when aborted while waiting (at once, even while others are ahead
   *   in line); a Redis error when Redis cannot be reached (the call is not made).
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

  /**
   * No call of any process sharing the key starts for `ms` from now (a 429). Resolves with the
   * pause's end (ms, Redis clock); a longer pause already set is kept.
   */
  async pauseFor(ms: number): Promise<number> {
    return Number(await this.redis.sharedRatePause(this.options.key, String(Math.round(Math.max(0, ms) * 1000)))) / 1000;
  }

  /**
   * How long (ms, by Redis's clock, rounded up) before the pause set by `pauseFor` (by any
   * process sharing the key) ends; 0 when none is in force. Spacing is not counted: a caller
   * deciding whether to wait in-process or give its slot back asks this first.
   * @throws a Redis error when Redis cannot be reached.
   */
  async pausedForMs(): Promise<number> {
    return Number(await this.redis.sharedRatePausedFor(this.options.key));
  }

  private async waitForSlot(signal: AbortSignal | undefined): Promise<number> {
    for (;;) {
      // A caller that gave up while in line takes no slot.
      signal?.throwIfAborted();
      const [granted, us] = await this.redis.sharedRateTake(this.options.key, String(Math.ceil(this.spacingMs * 1000)));
      if (granted === 1) return Number(us) / 1000;
      // Asked again after waking: another process may have taken the slot meanwhile.
      await sleep(Math.ceil(Number(us) / 1000), undefined, { signal });
    }
  }
}
