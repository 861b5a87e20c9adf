import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { RetryLaterError, type AppRedis } from '@jobs/worker-kit';

/** Options of {@link GoogleAdsThrottle}. */
export interface GoogleAdsThrottleOptions {
  readonly redis: AppRedis;
  /**
   * The key shared by every process calling Google Ads with the same Google Cloud project
   * (formerly developer token), e.g. `<BULLMQ_PREFIX>:ads-worker:rate-limit:google-ads`, or, for
   * one customer's quota, `<that key>:customer:<customerId>` (see GoogleAdsScopedThrottle). The
   * state lives at `<key>:pace` (a hash: field `rate` is the lowered rate, requests per second)
   * and `<key>:accepted` (a sorted set of the times of the requests Google answered, the last
   * `recoveryMs`). A refusal's script writes both, so on a Redis Cluster the key must hold a
   * hash tag (`appKeyPrefix` gives `<BULLMQ_PREFIX>:{ads}:ads-worker`), or the two would hash to
   * different slots and the script would fail with CROSSSLOT.
   */
  readonly key: string;
  /** Requests per second when Google has not refused lately (GOOGLE_ADS_REQUESTS_PER_SECOND): the ceiling. */
  readonly requestsPerSecond: number;
  /** Longest wait held inside the job, ms (ADS_MAX_IN_PROCESS_WAIT_MS); longer → RetryLaterError. */
  readonly maxInProcessWaitMs: number;
  /** After a refusal the rate doubles once per this many ms without one, up to the ceiling; default 60 000. */
  readonly recoveryMs?: number;
  /** The lowest fraction of `requestsPerSecond` a refusal lowers the rate to; default 1/16. */
  readonly minFactor?: number;
  /** Added to the spacing (default 0.05: 10/s spaces requests 105 ms), so jitter cannot bunch two closer than Google counts. */
  readonly marginRatio?: number;
}

/** What {@link GoogleAdsThrottle.acquire} let through. */
export interface GoogleAdsThrottleTicket {
  /** Redis's clock (ms) when the request was let through; pass it to `refused` or `accepted`. */
  readonly grantedAt: number;
}

/**
 * The shortest stretch (ms) the rate Google was answering is measured over. Google meters
 * requests per second (QPS, with a token bucket:
 * https://developers.google.com/google-ads/api/docs/productionize/rate-limits), so a burst it
 * answered inside one second says "about that many per second", not that many per 0.2 s.
 */
const ANSWERED_RATE_SHORTEST_SPAN_MS = 1000;

/**
 * The share of the rate Google was answering that a refusal lowers the rate to: headroom for a
 * bucket that held a few more than it refills per second, and for requests of several processes
 * arriving a little closer together than they were let through.
 */
const ANSWERED_RATE_SHARE = 0.75;

// Times are ms by Redis's clock (TIME), with µs decimals; every process is judged by one clock.
// Hash <key>:pace: `lastCallAt` (the last request let through), `pausedUntil`, `rate` (req/s set
// by the last refusal) and `loweredAt` (when). The rate in force is `rate` doubled once per
// recovery period since `loweredAt`, at most the ceiling: recovery needs no writes.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;
const IN_FORCE = `local v = redis.call('HMGET', KEYS[1], 'lastCallAt', 'pausedUntil', 'rate', 'loweredAt')
local lastCallAt = tonumber(v[1]) or 0
local pausedUntil = tonumber(v[2]) or 0
local lowered = tonumber(v[3])
local loweredAt = tonumber(v[4]) or 0
local ceiling = tonumber(ARGV[1])
local recovery = tonumber(ARGV[2])
local steps = 0
local rate = ceiling
if lowered then
  steps = math.floor((now - loweredAt) / recovery)
  rate = math.min(ceiling, lowered * math.pow(2, steps))
end`;

// ARGV: ceiling, recoveryMs, marginRatio, onlyWhenLowered (1/0). Decides at this moment, with the
// rate and pause in force now: {1, grantedAt, rate} when let through, else {0, ms to wait, rate,
// ms of pause left}. With onlyWhenLowered and nothing lowered or paused: let through, unrecorded.
const TAKE_LUA = `${NOW_MS}
${IN_FORCE}
if ARGV[4] == '1' and rate >= ceiling and pausedUntil <= now then
  return {1, string.format('%.3f', now), string.format('%.6f', rate)}
end
local at = math.max(lastCallAt + 1000 / rate * (1 + tonumber(ARGV[3])), pausedUntil)
if now < at then
  return {0, string.format('%.3f', at - now), string.format('%.6f', rate), string.format('%.3f', math.max(0, pausedUntil - now))}
end
redis.call('HSET', KEYS[1], 'lastCallAt', string.format('%.3f', now))
local keep = math.max(pausedUntil - now, 0)
if lowered and rate < ceiling then keep = math.max(keep, (math.ceil(math.log(ceiling / rate) / math.log(2)) + 1) * recovery) end
redis.call('PEXPIRE', KEYS[1], math.ceil(keep) + 60000)
return {1, string.format('%.3f', now), string.format('%.6f', rate)}`;

// KEYS: pace hash, accepted zset. ARGV: ceiling, recoveryMs, -, delayMs, grantedAt, minRate,
// shortestSpanMs, share. A refusal of a request let through before the last lowering belongs to
// the wave already answered: it only lengthens the pause. Otherwise the rate becomes
// - half the rate in force, when the rate had recovered a step since the last lowering (the
//   rate before that step held for a whole recovery period);
// - else the lower of half the rate in force and `share` of the rate Google was answering: the
//   most answers per second over any stretch ending now that starts at one of the answers since
//   the last pause ended (or the last lowering, or recoveryMs ago; the newest 1000 at most),
//   each stretch counted as at least shortestSpanMs. Neither the pause asked for now nor time
//   before the answers (idle, or waiting) counts;
// never below minRate. Returns {rate now in force, 1 when lowered now else 0}.
const REFUSED_LUA = `${NOW_MS}
${IN_FORCE}
local delay = tonumber(ARGV[4])
local grantedAt = tonumber(ARGV[5])
local lowerNow = 0
if not lowered or grantedAt >= loweredAt then
  local new = rate / 2
  if steps == 0 then
    local from = math.max(now - recovery, pausedUntil <= now and pausedUntil or 0, loweredAt)
    local times = redis.call('ZREVRANGEBYSCORE', KEYS[2], '+inf', string.format('%.3f', from), 'WITHSCORES', 'LIMIT', 0, 1000)
    local shortest = tonumber(ARGV[7])
    local answering = 0
    local k = 0
    for i = 2, #times, 2 do
      k = k + 1
      answering = math.max(answering, k * 1000 / math.max(now - tonumber(times[i]), shortest))
    end
    if k > 0 then new = math.min(new, answering * tonumber(ARGV[8])) end
  end
  rate = math.max(tonumber(ARGV[6]), new)
  lowerNow = 1
  redis.call('HSET', KEYS[1], 'rate', string.format('%.6f', rate), 'loweredAt', string.format('%.3f', now))
end
pausedUntil = math.max(pausedUntil, now + delay)
redis.call('HSET', KEYS[1], 'pausedUntil', string.format('%.3f', pausedUntil))
local up = 0
if rate < ceiling then up = math.ceil(math.log(ceiling / rate) / math.log(2)) + 1 end
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(pausedUntil - now, up * recovery)) + 60000)
return {string.format('%.6f', rate), lowerNow}`;

// KEYS: accepted zset. ARGV: recoveryMs, member suffix. Records one answered request now.
const ACCEPTED_LUA = `${NOW_MS}
redis.call('ZADD', KEYS[1], now, string.format('%.3f', now) .. ':' .. ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - tonumber(ARGV[1])))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 60000)
return 1`;

// ARGV: ceiling, recoveryMs. {rate in force, ms of pause left}.
const STATE_LUA = `${NOW_MS}
${IN_FORCE}
return {string.format('%.6f', rate), string.format('%.3f', math.max(0, pausedUntil - now))}`;

interface ThrottleCommands {
  googleAdsPaceTake(key: string, ceiling: string, recoveryMs: string, margin: string, onlyWhenLowered: string): Promise<[number, string, string, string?]>;
  googleAdsPaceRefused(key: string, acceptedKey: string, ceiling: string, recoveryMs: string, unused: string, delayMs: string, grantedAt: string, minRate: string, shortestSpanMs: string, share: string): Promise<[string, number]>;
  googleAdsPaceAccepted(acceptedKey: string, recoveryMs: string, suffix: string): Promise<number>;
  googleAdsPaceState(key: string, ceiling: string, recoveryMs: string): Promise<[string, string]>;
}

/**
 * Paces every Google Ads request of every process of one deployment (or, keyed by a customer,
 * every request for that customer), and learns from refusals. Google meters requests per
 * customer and per Cloud project with token buckets whose size it does not publish
 * (https://developers.google.com/google-ads/api/docs/productionize/rate-limits), so no fixed
 * rate is right: the configured one is a ceiling, refusals set the rest.
 * - Each request is let through by one Redis script that reads the rate and pause in force at
 *   that moment (never a rate read before waiting): a caller already in line when a refusal
 *   comes waits for the new pause and is spaced at the new rate. Within a process callers wait
 *   one at a time, in order.
 * - A refusal (`RESOURCE_EXHAUSTED` with `retryDelay`) pauses every process for the delay and
 *   lowers the shared rate once per wave (refusals of requests let through before the lowering
 *   only lengthen the pause): to the lower of half the rate and 3/4 of the rate Google was
 *   answering — the most answers per second over any stretch that ends at the refusal and
 *   starts at one of the answers since the last pause (a stretch counts as at least one second,
 *   as Google meters per second). The pause asked for, and time the client spent idle or
 *   waiting before those answers, are not counted: `retryDelay` is a backoff Google suggests
 *   (https://developers.google.com/google-ads/api/reference/rpc/v26/QuotaErrorDetails), not the
 *   quota's window. So the first refusal brings the rate under a per-second quota at once
 *   instead of halving again and again (a quota metered over a longer window may need another
 *   wave per halving); a refusal after the rate recovered a step goes back to the rate before
 *   that step. Never below `minFactor` of the ceiling.
 * - The rate doubles once per `recoveryMs` (default 1 min) without a refusal, back to the
 *   ceiling: from the floor (1/16) in 4 minutes. Under a quota tighter than the ceiling each
 *   step up may meet one refusal, which steps back down.
 * - A wait longer than `maxInProcessWaitMs` (a long pause, or a long line) is not held inside
 *   the job: `acquire` throws the kit's `RetryLaterError`, and the job comes back later without
 *   using an attempt.
 * The kit's `RateLimiter` is not used: its spacing is fixed per instance by the caller, and a
 * rate another process lowers in Redis must change the spacing of callers already waiting.
 */
export class GoogleAdsThrottle {
  private readonly redis: AppRedis & ThrottleCommands;
  private readonly recoveryMs: number;
  private readonly minRate: number;
  private readonly margin: number;
  /** The last caller in line in this process. */
  private line: Promise<void> = Promise.resolve();

  /**
   * Defines the pacing scripts on `options.redis` (once per client).
   * @throws RangeError when `options.redis` is a Redis Cluster and `options.key` holds no hash tag
   *   (see GoogleAdsThrottleOptions.key).
   */
  constructor(private readonly options: GoogleAdsThrottleOptions) {
    if (options.redis instanceof Cluster && hashTagOf(options.key) === undefined) {
      throw new RangeError(`GoogleAdsThrottle: on a Redis Cluster the key must hold a {hash tag} so <key>:pace and <key>:accepted share a slot (was "${options.key}"); use the app's appKeyPrefix`);
    }
    this.recoveryMs = options.recoveryMs ?? 60_000;
    this.minRate = options.requestsPerSecond * (options.minFactor ?? 1 / 16);
    this.margin = options.marginRatio ?? 0.05;
    const redis = options.redis as AppRedis & Partial<ThrottleCommands>;
    if (!redis.googleAdsPaceTake) redis.defineCommand('googleAdsPaceTake', { numberOfKeys: 1, lua: TAKE_LUA });
    if (!redis.googleAdsPaceRefused) redis.defineCommand('googleAdsPaceRefused', { numberOfKeys: 2, lua: REFUSED_LUA });
    if (!redis.googleAdsPaceAccepted) redis.defineCommand('googleAdsPaceAccepted', { numberOfKeys: 1, lua: ACCEPTED_LUA });
    if (!redis.googleAdsPaceState) redis.defineCommand('googleAdsPaceState', { numberOfKeys: 1, lua: STATE_LUA });
    this.redis = redis as AppRedis & ThrottleCommands;
  }

  /** The shared rate in force (requests per second) and the pause left (ms). */
  async state(): Promise<{ requestsPerSecond: number; pauseMs: number }> {
    const [rate, pause] = await this.redis.googleAdsPaceState(this.paceKey, String(this.options.requestsPerSecond), String(this.recoveryMs));
    return { requestsPerSecond: Number(rate), pauseMs: Math.ceil(Number(pause)) };
  }

  /**
   * Resolves when this process may send one request, at the rate and after the pause in force
   * at that moment.
   * @param note - told (once) when the wait is a pause Google asked for.
   * @param options.onlyWhenLowered - take no slot while this scope has not been refused lately
   *   (no pause, rate at the ceiling): for a per-customer throttle under the shared one.
   * @throws RetryLaterError when the wait would exceed `maxInProcessWaitMs` (a pause that long,
   *   or a line that long); the signal's reason when aborted; a Redis error when Redis cannot be reached.
   */
  acquire(signal: AbortSignal, note?: (message: string) => void, options: { onlyWhenLowered?: boolean } = {}): Promise<GoogleAdsThrottleTicket> {
    signal.throwIfAborted();
    const max = this.options.maxInProcessWaitMs;
    // The line may be long (every process's requests at a lowered rate): give up past the
    // ceiling rather than hold the job's slot; a second's grace covers the Redis round trips.
    const timeout = AbortSignal.timeout(max + 1000);
    const both = AbortSignal.any([signal, timeout]);
    const turn = this.line.then(() => this.waitForSlot(both, note, options.onlyWhenLowered === true));
    this.line = turn.then(
      () => undefined,
      () => undefined,
    );
    return new Promise<GoogleAdsThrottleTicket>((resolve, reject) => {
      const fail = (err: unknown) => reject(timeout.aborted && !signal.aborted ? new RetryLaterError(max, `Google Ads requests are queued for longer than ${Math.ceil(max / 1000)} s; the job continues later`) : err);
      const onAbort = () => fail(both.reason);
      both.addEventListener('abort', onAbort, { once: true });
      turn.then(resolve, fail).finally(() => both.removeEventListener('abort', onAbort));
    });
  }

  /** Records that Google answered a request (not refused): what the rate a refusal lowers to is measured from. */
  async accepted(): Promise<void> {
    await this.redis.googleAdsPaceAccepted(this.acceptedKey, String(this.recoveryMs), randomBytes(4).toString('hex'));
  }

  /**
   * Records a refusal of the request let through at `ticket.grantedAt`: every process pauses
   * for `delayMs` (a longer pause already set is kept) and, unless the request was let through
   * before the rate was last lowered (the same wave), the shared rate is lowered (see the class).
   * @returns the shared rate now in force (requests per second) and whether this refusal lowered it.
   */
  async refused(delayMs: number, ticket: GoogleAdsThrottleTicket = { grantedAt: Number.MAX_SAFE_INTEGER }): Promise<{ requestsPerSecond: number; lowered: boolean }> {
    const delay = Math.max(0, Math.ceil(delayMs));
    const [rate, lowered] = await this.redis.googleAdsPaceRefused(
      this.paceKey,
      this.acceptedKey,
      String(this.options.requestsPerSecond),
      String(this.recoveryMs),
      '0',
      String(delay),
      ticket.grantedAt.toFixed(3),
      String(this.minRate),
      String(ANSWERED_RATE_SHORTEST_SPAN_MS),
      String(ANSWERED_RATE_SHARE),
    );
    return { requestsPerSecond: Number(rate), lowered: lowered === 1 };
  }

  private get paceKey(): string {
    return `${this.options.key}:pace`;
  }

  private get acceptedKey(): string {
    return `${this.options.key}:accepted`;
  }

  private async waitForSlot(signal: AbortSignal, note: ((message: string) => void) | undefined, onlyWhenLowered: boolean): Promise<GoogleAdsThrottleTicket> {
    let told = false;
    for (;;) {
      // A caller that gave up while in line takes no slot.
      signal.throwIfAborted();
      const [granted, value, , pause] = await this.redis.googleAdsPaceTake(this.paceKey, String(this.options.requestsPerSecond), String(this.recoveryMs), String(this.margin), onlyWhenLowered ? '1' : '0');
      if (granted === 1) return { grantedAt: Number(value) };
      const waitMs = Math.ceil(Number(value));
      const pauseMs = Math.ceil(Number(pause ?? 0));
      if (pauseMs > this.options.maxInProcessWaitMs) throw new RetryLaterError(pauseMs, `Google Ads asked to wait ${Math.ceil(pauseMs / 1000)} s (quota); the job continues after that`);
      if (pauseMs > 0 && !told) {
        told = true;
        note?.(`waiting ${Math.ceil(pauseMs / 1000)} s: Google Ads asked to slow down`);
      }
      // Asked again after waking: another process may have taken the slot, or a refusal may
      // have lowered the rate or paused everyone, meanwhile.
      await sleep(waitMs, undefined, { signal });
    }
  }
}

/**
 * The hash tag Redis Cluster hashes `key` by: what lies between the first `{` and the first `}`
 * after it, when not empty (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags);
 * undefined when the whole key is hashed.
 */
function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}
