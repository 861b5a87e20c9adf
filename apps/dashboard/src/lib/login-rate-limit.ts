import { clientAddressKey } from './client-address-key';

/** Options of {@link LoginRateLimit}. */
export interface LoginRateLimitOptions {
  /** Password checks one address may have running or waiting at once; default 2. */
  readonly maxInFlight?: number;
  /** Login attempts one address may make in a burst; default 10. */
  readonly burst?: number;
  /** One more attempt is allowed per this many ms after the burst; default 3 000 (20 per minute). */
  readonly refillMs?: number;
  /** Addresses remembered at most (the oldest is dropped first); default 10 000. */
  readonly maxKeys?: number;
  /** The clock, in ms; default `Date.now`. */
  readonly now?: () => number;
}

/** What {@link LoginRateLimit.acquire} answers: either a `release` to call when the check is over, or how long to wait. */
export type LoginSlot = { readonly ok: true; release(): void } | { readonly ok: false; readonly retryAfterMs: number };

interface Bucket {
  tokens: number;
  refilledAt: number;
  inFlight: number;
}

/**
 * A cheap per-address gate in front of the scrypt check (an IPv6 address counts as its /64):
 * a token bucket (`burst` attempts, then one per `refillMs`) and at most `maxInFlight` checks
 * running or waiting per address. The failure budgets of `LoginThrottle` are per user name, so a
 * flood of random user names never trips them; without this gate one client could keep the
 * one-at-a-time scrypt queue full and every other login would get 503. Refused attempts cost no
 * scrypt: the caller answers 429 with `Retry-After`.
 *
 * In this process's memory, per replica (the dashboard's only state in Redis is the per-user
 * "sessions valid after" marker; a flood gate must not cost a Redis call per attempt).
 * Written here rather than taken from express-rate-limit because it also bounds concurrency per
 * address, which that middleware does not, and it is thirty lines.
 */
export class LoginRateLimit {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxInFlight: number;
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: LoginRateLimitOptions = {}) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.burst = options.burst ?? 10;
    this.refillMs = options.refillMs ?? 3000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one attempt for `ip`: a slot to release once the password check is over, or the wait in ms. */
  acquire(ip: string): LoginSlot {
    const key = clientAddressKey(ip);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, refilledAt: now, inFlight: 0 };
    const earned = Math.floor((now - bucket.refilledAt) / this.refillMs);
    if (earned > 0) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + earned);
      bucket.refilledAt = bucket.tokens === this.burst ? now : bucket.refilledAt + earned * this.refillMs;
    }
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.inFlight >= this.maxInFlight) return { ok: false, retryAfterMs: 1000 };
    if (bucket.tokens < 1) return { ok: false, retryAfterMs: Math.max(1, bucket.refilledAt + this.refillMs - now) };
    bucket.tokens -= 1;
    bucket.inFlight += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        bucket.inFlight -= 1;
      },
    };
  }
}
