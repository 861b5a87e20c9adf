import type { AppTokenGrant } from './app-token-grant';

/** Default of {@link AppTokenCacheOptions.marginMs}: 60 s. */
export const DEFAULT_APP_TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** Default of {@link AppTokenCacheOptions.maxEntries}: 10 000 grants. */
export const DEFAULT_APP_TOKEN_CACHE_MAX_ENTRIES = 10_000;
/**
 * Default of {@link AppTokenCacheOptions.maxAgeWithoutExpiryMs}: 50 minutes. OAuth access tokens
 * of Google (`expires_in` 3599 s) live an hour; a grant whose expiry the app did not say is
 * asked for again before an hour-long token would run out, rather than kept until refused.
 */
export const DEFAULT_APP_TOKEN_MAX_AGE_WITHOUT_EXPIRY_MS = 50 * 60_000;

/** Options of {@link AppTokenCache}. */
export interface AppTokenCacheOptions {
  /** A grant is stale this many ms before its `expiresAtMs`; default 60 000. */
  readonly marginMs?: number;
  /**
   * The most grants kept; storing one more forgets the least recently used. Default 10 000
   * (a grant is a few hundred bytes: a few MB at most).
   */
  readonly maxEntries?: number;
  /** A grant without an expiry (`expiresAtMs` Infinity) is stale this many ms after it was stored; default 50 min. */
  readonly maxAgeWithoutExpiryMs?: number;
  /** Clock, ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
}

interface Entry {
  readonly grant: AppTokenGrant;
  readonly storedAtMs: number;
}

/**
 * Grants by key, in this process only, handed out until `marginMs` before they expire (or,
 * without an expiry, until `maxAgeWithoutExpiryMs` after they were stored). Bounded: at most
 * `maxEntries` grants, the least recently used forgotten first (a `Map` keeps insertion order;
 * a hit moves its key to the end). Not shared through Redis on purpose: an access token stays
 * in the memory of the process that asked for it.
 */
export class AppTokenCache {
  private readonly grants = new Map<string, Entry>();
  private readonly marginMs: number;
  private readonly maxEntries: number;
  private readonly maxAgeWithoutExpiryMs: number;
  private readonly now: () => number;

  /**
   * @param options - or, as before, just `marginMs` (a number).
   * @throws RangeError when `maxEntries` is not a positive integer, or `marginMs` /
   *   `maxAgeWithoutExpiryMs` is negative or not finite.
   */
  constructor(options: AppTokenCacheOptions | number = {}) {
    const o = typeof options === 'number' ? { marginMs: options } : options;
    this.marginMs = o.marginMs ?? DEFAULT_APP_TOKEN_EXPIRY_MARGIN_MS;
    this.maxEntries = o.maxEntries ?? DEFAULT_APP_TOKEN_CACHE_MAX_ENTRIES;
    this.maxAgeWithoutExpiryMs = o.maxAgeWithoutExpiryMs ?? DEFAULT_APP_TOKEN_MAX_AGE_WITHOUT_EXPIRY_MS;
    this.now = o.now ?? Date.now;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError(`AppTokenCache: maxEntries must be a positive integer (was ${this.maxEntries})`);
    for (const [name, value] of [['marginMs', this.marginMs], ['maxAgeWithoutExpiryMs', this.maxAgeWithoutExpiryMs]] as const) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`AppTokenCache: ${name} must be a finite number ≥ 0 (was ${value})`);
    }
  }

  /** How many grants are kept (fresh or not yet found stale). */
  get size(): number {
    return this.grants.size;
  }

  /**
   * The grant under `key` while still fresh at `nowMs` (default the clock), and now the most
   * recently used; else undefined (and forgotten).
   */
  get(key: string, nowMs = this.now()): AppTokenGrant | undefined {
    const entry = this.grants.get(key);
    if (entry === undefined) return undefined;
    this.grants.delete(key);
    if (!this.isFresh(entry, nowMs)) return undefined;
    this.grants.set(key, entry);
    return entry.grant;
  }

  /** Keeps `grant` under `key` (stored at `nowMs`, default the clock), forgetting the least recently used beyond `maxEntries`. */
  set(key: string, grant: AppTokenGrant, nowMs = this.now()): void {
    this.grants.delete(key);
    this.grants.set(key, { grant, storedAtMs: nowMs });
    while (this.grants.size > this.maxEntries) {
      const oldest = this.grants.keys().next();
      if (oldest.done) break;
      this.grants.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.grants.delete(key);
  }

  private isFresh(entry: Entry, nowMs: number): boolean {
    if (entry.grant.expiresAtMs === Number.POSITIVE_INFINITY) return entry.storedAtMs + this.maxAgeWithoutExpiryMs > nowMs;
    return entry.grant.expiresAtMs - this.marginMs > nowMs;
  }
}
