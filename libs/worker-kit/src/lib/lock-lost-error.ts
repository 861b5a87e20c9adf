/**
 * A Redis lock's holder no longer holds it: an extension found the key gone or taken by another
 * token, or no extension succeeded for a whole TTL (Redis unreachable), so the key has expired
 * and another worker may hold it now. Given as the reason of {@link HeldRedisLock.signal}; the
 * holder should stop the work the lock guards. Transient for the job: the next attempt takes the
 * lock again.
 */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Lost the Redis lock ${key}: ${reason}`);
  }
}
