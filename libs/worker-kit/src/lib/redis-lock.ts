import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Deletes or extends the lock only while it is still ours (its token), so a lock that expired
// and was taken by another worker is never released or extended by the old holder.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A held lock; `release()` is idempotent. */
export interface HeldRedisLock {
  release(): Promise<void>;
}

/**
 * Takes the lock `key` across every worker process: a Redis key with a random token and a TTL of
 * `ttlMs`, extended every third of that while held, so a holder that dies (SIGKILL) frees it
 * within `ttlMs`.
 * @returns the held lock, or how many ms the current holder's lock has left.
 */
export async function acquireRedisLock(redis: Redis, key: string, ttlMs: number): Promise<HeldRedisLock | { heldForMs: number }> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    const pttl = await redis.pttl(key);
    return { heldForMs: pttl > 0 ? pttl : ttlMs };
  }
  const timer = setInterval(() => {
    redis.eval(EXTEND, 1, key, token, String(ttlMs)).catch(() => undefined);
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  let released: Promise<void> | undefined;
  return {
    release: () => {
      released ??= (async () => {
        clearInterval(timer);
        await redis.eval(RELEASE, 1, key, token);
      })();
      return released;
    },
  };
}
