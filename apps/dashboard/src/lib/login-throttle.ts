import { clientAddressKey } from './client-address-key';

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures of one user from one address allowed before a lockout starts; default 5. */
  readonly freeFailures?: number;
  /** Failures of one user from all addresses together allowed before that user is locked out everywhere; default 20. */
  readonly userFreeFailures?: number;
  /** First lockout, in ms, doubled with each further failure; default 1 000. */
  readonly baseLockMs?: number;
  /** Longest lockout, in ms; default 900 000 (15 min). */
  readonly maxLockMs?: number;
  /** A key with no failure for this long is forgotten, in ms; default 900 000 (15 min). */
  readonly forgetAfterMs?: number;
  /** Keys remembered at most (the oldest is dropped first); default 10 000. */
  readonly maxKeys?: number;
  /** The clock, in ms; default `Date.now` (tests pass their own). */
  readonly now?: () => number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/**
 * Slows password guessing down in this process's memory, with two budgets:
 * - per user name and client address (an IPv6 address counts as its /64, see `clientAddressKey`):
 *   after `freeFailures` failed logins each further failure locks that pair out for
 *   `baseLockMs · 2^(failures − freeFailures − 1)`, up to `maxLockMs`; a success clears it;
 * - per user name across all addresses, the same way after `userFreeFailures`: an attacker who
 *   rotates `X-Forwarded-For` (trusted from private addresses) or walks a /64 gets no fresh
 *   budget for the same user. A success does not clear it (it would hand the attacker a fresh
 *   budget); it is forgotten after `forgetAfterMs` without failures. The price: someone guessing
 *   at a user name can lock that user out for up to `maxLockMs` (bearer tokens still work).
 *
 * Memory (not Redis): a login path that needs no Redis round trip per guess; the only state the
 * dashboard keeps in Redis is the per-user "sessions valid after" marker. Budgets are therefore
 * per replica: with several replicas an attacker gets one budget per replica, still a few
 * guesses per 15 min.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly freeFailures: number;
  private readonly userFreeFailures: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly forgetAfterMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.freeFailures = options.freeFailures ?? 5;
    this.userFreeFailures = options.userFreeFailures ?? 20;
    this.baseLockMs = options.baseLockMs ?? 1000;
    this.maxLockMs = options.maxLockMs ?? 900_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 900_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** How long `user` from `ip` must still wait before trying again, in ms (0: may try now). */
  lockedForMs(user: string, ip: string): number {
    const now = this.now();
    const locks = [this.live(this.pairKey(user, ip)), this.live(this.userKey(user))].map((entry) => (entry ? Math.max(0, entry.lockedUntil - now) : 0));
    return Math.max(...locks);
  }

  /** Records a failed login against both budgets; returns the lockout it starts, in ms (0 while failures are free). */
  recordFailure(user: string, ip: string): number {
    return Math.max(this.bump(this.pairKey(user, ip), this.freeFailures), this.bump(this.userKey(user), this.userFreeFailures));
  }

  /** Forgets the failures of `user` from `ip` (a successful login); the user's budget across addresses is kept. */
  recordSuccess(user: string, ip: string): void {
    this.entries.delete(this.pairKey(user, ip));
  }

  private bump(key: string, free: number): number {
    const entry = this.live(key) ?? { failures: 0, lastFailureAt: 0, lockedUntil: 0 };
    const now = this.now();
    entry.failures += 1;
    entry.lastFailureAt = now;
    const over = entry.failures - free;
    const lockMs = over > 0 ? Math.min(this.maxLockMs, this.baseLockMs * 2 ** Math.min(over - 1, 30)) : 0;
    entry.lockedUntil = Math.max(entry.lockedUntil, now + lockMs);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
    return lockMs;
  }

  private pairKey(user: string, ip: string): string {
    return `${user.toLowerCase()}\u0000${clientAddressKey(ip)}`;
  }

  // No address can contain a NUL, so this key never equals a pair's.
  private userKey(user: string): string {
    return `${user.toLowerCase()}\u0000\u0000`;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.lastFailureAt > this.forgetAfterMs && entry.lockedUntil <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
