import { randomUUID } from 'node:crypto';
import type { AppRedis } from './connect-app-redis';
import { LockLostError } from './lock-lost-error';

// Deletes or extends the lock only while it is still ours (its token), so a lock that expired
// and was taken by another worker is never released or extended by the old holder.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A held lock; `release()` is idempotent. */
export interface HeldRedisLock {
  /**
   * Aborts, with a {@link LockLostError} as its reason, when the lock is lost while held: an
   * extension found it gone or another holder's, or no extension succeeded for `ttlMs` since the
   * last one that did (after which the key has certainly expired). Never aborts after `release()`.
   */
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

/**
 * Takes the lock `key` across every worker process: a Redis key with a random token and a TTL of
 * `ttlMs`, extended every third of that while held, so a holder that dies (SIGKILL) frees it
 * within `ttlMs`. The holder learns of a lost lock through the returned `signal` and must stop.
 * @returns the held lock, or how many ms the current holder's lock has left.
 */
export async function acquireRedisLock(redis: AppRedis, key: string, ttlMs: number): Promise<HeldRedisLock | { heldForMs: number }> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    const pttl = await redis.pttl(key);
    return { heldForMs: pttl > 0 ? pttl : ttlMs };
  }
  const controller = new AbortController();
  let lastExtendedAt = Date.now();
  let released = false;
  const lose = (reason: string) => {
    if (released || controller.signal.aborted) return;
    clearInterval(timer);
    controller.abort(new LockLostError(key, reason));
  };
  const timer = setInterval(() => {
    const sentAt = Date.now();
    redis.eval(EXTEND, 1, key, token, String(ttlMs)).then(
      (extended) => {
        if (extended === 1) lastExtendedAt = sentAt;
        else lose('the key is gone or held by another worker');
      },
      () => {
        // One failed extension is not a lost lock (the key lives on until its TTL); a whole TTL
        // without a successful one is.
        if (Date.now() - lastExtendedAt >= ttlMs) lose(`no extension succeeded for ${ttlMs} ms`);
      },
    );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  let releasing: Promise<void> | undefined;
  return {
    signal: controller.signal,
    release: () => {
      releasing ??= (async () => {
        released = true;
        clearInterval(timer);
        await redis.eval(RELEASE, 1, key, token);
      })();
      return releasing;
    },
  };
}
