import { acquireRedisLock, type AppRedis, type HeldRedisLock } from '@jobs/worker-kit';
import { mailboxKey, type MailboxRef } from '../mailbox-ref';

/**
 * One sync at a time per mailbox, across every worker process: two syncs of one mailbox would
 * race on its cursor. The lock is `<keyPrefix>:lock:<provider>:<accountId>` (acquireRedisLock:
 * freed within `ttlMs` when its worker dies).
 */
export class MailboxLock {
  constructor(
    private readonly redis: AppRedis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  /** @returns the held lock, or the ms until the current holder's lock expires. */
  acquire(mailbox: MailboxRef): Promise<HeldRedisLock | { heldForMs: number }> {
    return acquireRedisLock(this.redis, `${this.keyPrefix}:lock:${mailboxKey(mailbox)}`, this.ttlMs);
  }
}
