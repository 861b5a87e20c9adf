import type { AppRedis } from '@jobs/worker-kit';

/** Options of {@link SessionsValidAfter}. */
export interface SessionsValidAfterOptions {
  /** A connection of the dashboard's own (not a Queue's): a standalone `Redis` or a `Cluster`. */
  readonly redis: AppRedis;
  /**
   * Prefix of the dashboard's own keys, `dashboardKeyPrefix(config)`: `<BULLMQ_PREFIX>:dashboard`
   * on a standalone Redis, `<BULLMQ_PREFIX>:{workflow}:dashboard` on a cluster.
   */
  readonly keyPrefix: string;
  /** How long a marker outlives the logout, in ms: the session TTL (every session issued before it has expired by then). */
  readonly markerTtlMs: number;
  /** How long a marker read from Redis is trusted, in ms; default {@link SESSIONS_VALID_AFTER_CACHE_MS}. */
  readonly cacheMs?: number;
  /** The clock, epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/** Default in-process cache of a user's marker, in ms: a logout reaches the other replicas within it. */
export const SESSIONS_VALID_AFTER_CACHE_MS = 5000;

/**
 * "Log out everywhere" for stateless cookie sessions: a per-user marker in Redis,
 * `<keyPrefix>:sessions-valid-after:<user>` = epoch ms of the last logout; a session
 * issued at or before it no longer counts, on any replica, copies of the cookie included.
 *
 * Chosen over a shorter session TTL because a copied cookie must stop working at logout, not
 * hours later, and a TTL short enough for that would log busy operators out mid-incident. The
 * marker is read once per user per `cacheMs` (not once per Bull Board poll): a logout on this
 * replica applies at once, on the others within `cacheMs`.
 */
export class SessionsValidAfter {
  private readonly cache = new Map<string, { value: number; readAt: number }>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionsValidAfterOptions) {
    this.cacheMs = options.cacheMs ?? SESSIONS_VALID_AFTER_CACHE_MS;
    this.now = options.now ?? Date.now;
  }

  /** Redis key of `user`'s marker. */
  key(user: string): string {
    return `${this.options.keyPrefix}:sessions-valid-after:${user}`;
  }

  /**
   * Epoch ms after which `user`'s sessions must have been issued to count (0: no logout on record).
   * @throws the Redis client's error when the marker cannot be read and is not cached (callers refuse the request).
   */
  async validAfter(user: string): Promise<number> {
    const cached = this.cache.get(user);
    const now = this.now();
    if (cached && now - cached.readAt < this.cacheMs) return cached.value;
    const raw = await this.options.redis.get(this.key(user));
    const value = raw !== null && /^\d+$/.test(raw) ? Number(raw) : 0;
    this.cache.set(user, { value, readAt: now });
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }

  /**
   * Ends every session of `user` issued at or before `at` (epoch ms), on every replica.
   * @throws the Redis client's error when the marker cannot be written.
   */
  async logOutEverywhere(user: string, at: number): Promise<void> {
    await this.options.redis.set(this.key(user), String(at), 'PX', this.options.markerTtlMs);
    this.cache.set(user, { value: at, readAt: this.now() });
  }
}
