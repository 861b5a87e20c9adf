import { RateLimiter, RetryLaterError } from '@jobs/worker-kit';
import type { Redis } from 'ioredis';

/** Options of {@link GoogleAdsThrottle}. */
export interface GoogleAdsThrottleOptions {
  readonly redis: Redis;
  /**
   * The kit RateLimiter's key shared by every process calling Google Ads with the same Google
   * Cloud project (formerly developer token), e.g. `<BULLMQ_PREFIX>:ads-worker:rate-limit:google-ads`,
   * or, for one customer's quota, `<that key>:customer:<customerId>` (see GoogleAdsScopedThrottle);
   * the adaptive state lives beside it at `<key>:adaptive`.
   */
  readonly key: string;
  /** Requests per second when Google has not refused lately (GOOGLE_ADS_REQUESTS_PER_SECOND). */
  readonly requestsPerSecond: number;
  /** Longest wait held inside the job, ms (ADS_MAX_IN_PROCESS_WAIT_MS); longer → RetryLaterError. */
  readonly maxInProcessWaitMs: number;
  /** After a refusal the rate doubles back once per this many ms without one; default 300 000 (5 min). */
  readonly recoveryMs?: number;
  /** Lowest fraction of `requestsPerSecond` halving goes down to; default 1/64. */
  readonly minFactor?: number;
}

// State (hash at <key>:adaptive), times in ms by Redis's clock: `factor` (fraction of the
// configured rate set at the last refusal), `halvedAt`, `pausedUntil`. The factor in force is
// `factor` doubled once per recovery period since `halvedAt`, at most 1: recovery needs no writes.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const EFFECTIVE = `local v = redis.call('HMGET', KEYS[1], 'factor', 'halvedAt', 'pausedUntil')
local factor = tonumber(v[1]) or 1
local halvedAt = tonumber(v[2]) or 0
local pausedUntil = tonumber(v[3]) or 0
local recovery = tonumber(ARGV[1])
if factor < 1 then factor = math.min(1, factor * math.pow(2, math.floor((now - halvedAt) / recovery))) end`;

// ARGV: recoveryMs. Returns {factor, ms left of the pause}.
const STATE_LUA = `${NOW_MS}
${EFFECTIVE}
return {string.format('%.9f', factor), string.format('%.0f', math.max(0, pausedUntil - now))}`;

// ARGV: recoveryMs, delayMs, minFactor, guardMs. Pauses for delayMs (a longer pause is kept) and
// halves the rate unless it was halved less than guardMs ago (two processes refused at once
// halve once). Returns the factor now in force.
const REFUSED_LUA = `${NOW_MS}
${EFFECTIVE}
if now - halvedAt >= tonumber(ARGV[4]) then
  factor = math.max(tonumber(ARGV[3]), factor / 2)
  redis.call('HSET', KEYS[1], 'factor', string.format('%.9f', factor), 'halvedAt', string.format('%.0f', now))
end
pausedUntil = math.max(pausedUntil, now + tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'pausedUntil', string.format('%.0f', pausedUntil))
local steps = 0
local f = factor
while f < 1 do f = f * 2 steps = steps + 1 end
redis.call('PEXPIRE', KEYS[1], math.max(pausedUntil - now, steps * recovery) + 60000)
return string.format('%.9f', factor)`;

interface ThrottleCommands {
  googleAdsThrottleState(key: string, recoveryMs: string): Promise<[string, string]>;
  googleAdsThrottleRefused(key: string, recoveryMs: string, delayMs: string, minFactor: string, guardMs: string): Promise<string>;
}

/**
 * Paces every Google Ads request of every process of one deployment (or, keyed by a customer,
 * every request for that customer), and learns from refusals:
 * - each request takes a slot of the kit's Redis-shared `RateLimiter` at the rate in force;
 * - a refusal (`RESOURCE_EXHAUSTED` with `retryDelay`) pauses every process for the delay and
 *   halves the shared rate (at most once per second), which doubles back once per `recoveryMs`
 *   without a refusal — so after the first refusal the others slow down before Google refuses
 *   again. Google meters requests per customer and per Cloud project with a token bucket whose
 *   size varies with load (https://developers.google.com/google-ads/api/docs/productionize/rate-limits),
 *   so no fixed rate is right: the configured one is a ceiling, the refusals set the rest;
 * - a wait longer than `maxInProcessWaitMs` (a long pause, or a long line) is not held inside the
 *   job: `acquire` throws the kit's `RetryLaterError`, and the job comes back later without
 *   using an attempt.
 */
export class GoogleAdsThrottle {
  private readonly redis: Redis & ThrottleCommands;
  private readonly limiters = new Map<number, RateLimiter>();
  private readonly recoveryMs: number;
  private readonly minFactor: number;

  constructor(private readonly options: GoogleAdsThrottleOptions) {
    this.recoveryMs = options.recoveryMs ?? 300_000;
    this.minFactor = options.minFactor ?? 1 / 64;
    const redis = options.redis as Redis & Partial<ThrottleCommands>;
    if (!redis.googleAdsThrottleState) redis.defineCommand('googleAdsThrottleState', { numberOfKeys: 1, lua: STATE_LUA });
    if (!redis.googleAdsThrottleRefused) redis.defineCommand('googleAdsThrottleRefused', { numberOfKeys: 1, lua: REFUSED_LUA });
    this.redis = redis as Redis & ThrottleCommands;
  }

  /** The shared rate in force (requests per second) and the pause left (ms). */
  async state(): Promise<{ requestsPerSecond: number; pauseMs: number }> {
    const [factor, pause] = await this.redis.googleAdsThrottleState(this.adaptiveKey, String(this.recoveryMs));
    return { requestsPerSecond: this.options.requestsPerSecond * Number(factor), pauseMs: Number(pause) };
  }

  /**
   * Resolves when this process may send one request.
   * @param note - told when the wait is a pause Google asked for.
   * @param options.onlyWhenLowered - take no slot while Google has not refused lately (no pause,
   *   full rate): for a per-customer throttle under the shared one, which then paces alone.
   * @throws RetryLaterError when the wait would exceed `maxInProcessWaitMs`; the signal's reason
   *   when aborted; a Redis error when Redis cannot be reached.
   */
  async acquire(signal: AbortSignal, note?: (message: string) => void, options: { onlyWhenLowered?: boolean } = {}): Promise<void> {
    signal.throwIfAborted();
    const { requestsPerSecond, pauseMs } = await this.state();
    if (options.onlyWhenLowered && pauseMs === 0 && requestsPerSecond >= this.options.requestsPerSecond) return;
    const max = this.options.maxInProcessWaitMs;
    if (pauseMs > max) throw new RetryLaterError(pauseMs, `Google Ads asked to wait ${Math.ceil(pauseMs / 1000)} s (quota); the job continues after that`);
    if (pauseMs > 0) note?.(`waiting ${Math.ceil(pauseMs / 1000)} s: Google Ads asked to slow down`);
    // The line may be long (every process's requests at a lowered rate): give up past the
    // ceiling rather than hold the job's slot; a second's grace covers the Redis round trip.
    const timeout = AbortSignal.timeout(max + 1000);
    try {
      await this.limiterFor(requestsPerSecond).take(AbortSignal.any([signal, timeout]));
    } catch (err) {
      if (timeout.aborted && !signal.aborted) throw new RetryLaterError(max, `Google Ads requests are queued for longer than ${Math.ceil(max / 1000)} s; the job continues later`);
      throw err;
    }
  }

  /**
   * Records a refusal: every process pauses for `delayMs` and the shared rate halves.
   * @returns the shared rate now in force (requests per second).
   */
  async refused(delayMs: number): Promise<number> {
    const delay = Math.max(0, Math.ceil(delayMs));
    const factor = await this.redis.googleAdsThrottleRefused(this.adaptiveKey, String(this.recoveryMs), String(delay), String(this.minFactor), '1000');
    await this.limiterFor(this.options.requestsPerSecond).pauseFor(delay);
    return this.options.requestsPerSecond * Number(factor);
  }

  private get adaptiveKey(): string {
    return `${this.options.key}:adaptive`;
  }

  private limiterFor(perSecond: number): RateLimiter {
    let limiter = this.limiters.get(perSecond);
    if (!limiter) {
      // One key for every rate: the spacing travels with each call, the last call's time is shared.
      limiter = new RateLimiter({ redis: this.options.redis, key: this.options.key, perSecond });
      this.limiters.set(perSecond, limiter);
    }
    return limiter;
  }
}
