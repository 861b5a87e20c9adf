import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { mailboxKey, type MailboxRef } from '../mailbox-ref';

// Deletes or extends the lock only while it is still ours (its token), so a lock that expired
// and was taken by another worker is never released or extended by the old holder.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A held mailbox lock; `release()` is idempotent. */
export interface HeldMailboxLock {
  release(): Promise<void>;
}

/**
 * One sync at a time per mailbox, across every worker process: two syncs of one mailbox would
 * race on its cursor. A Redis key `<keyPrefix>:lock:<provider>:<accountId>` with a random token
 * and a TTL, extended every third of the TTL while held, so a worker that dies (SIGKILL) frees it
 * within `ttlMs`.
 */
export class MailboxLock {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  /** @returns the held lock, or the ms until the current holder's lock expires. */
  async acquire(mailbox: MailboxRef): Promise<HeldMailboxLock | { heldForMs: number }> {
    const key = `${this.keyPrefix}:lock:${mailboxKey(mailbox)}`;
    const token = randomUUID();
    const ok = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') {
      const pttl = await this.redis.pttl(key);
      return { heldForMs: pttl > 0 ? pttl : this.ttlMs };
    }
    const timer = setInterval(() => {
      this.redis.eval(EXTEND, 1, key, token, String(this.ttlMs)).catch(() => undefined);
    }, Math.max(100, Math.floor(this.ttlMs / 3)));
    timer.unref();
    let released: Promise<void> | undefined;
    return {
      release: () => {
        released ??= (async () => {
          clearInterval(timer);
          await this.redis.eval(RELEASE, 1, key, token);
        })();
        return released;
      },
    };
  }
}
