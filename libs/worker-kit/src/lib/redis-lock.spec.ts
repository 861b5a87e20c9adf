import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { acquireRedisLock } from './redis-lock';
import { LockLostError } from './lock-lost-error';

const url = testRedisUrl();

describe('acquireRedisLock', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    prefix = uniquePrefix('lock');
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
    await deletePrefix(url, prefix);
  });

  it('lets one holder in at a time, says how long the other must wait, and frees on release', async () => {
    const lock = { acquire: (name: string) => acquireRedisLock(redis, `${prefix}:lock:${name}`, 5000) };
    const first = await lock.acquire('gmail:a');
    expect('release' in first).toBe(true);
    const second = await lock.acquire('gmail:a');
    expect(second).toEqual({ heldForMs: expect.any(Number) });
    // The key's remaining TTL, read before this PTTL: at least what is left now, at most the 5 s set.
    const left = await redis.pttl(`${prefix}:lock:gmail:a`);
    expect(left).toBeGreaterThan(0);
    expect((second as { heldForMs: number }).heldForMs).toBeGreaterThanOrEqual(left);
    expect((second as { heldForMs: number }).heldForMs).toBeLessThanOrEqual(5000);
    // Another key is not affected.
    const other = await lock.acquire('gmail:b');
    expect('release' in other).toBe(true);
    if ('release' in first) await first.release();
    if ('release' in other) await other.release();
    const third = await lock.acquire('gmail:a');
    expect('release' in third).toBe(true);
    if ('release' in third) await third.release();
  });

  it('keeps a held lock alive past its TTL, and an expired holder cannot release the next one', async () => {
    // 2.5 TTLs: held only because it was extended; a TTL of 2 s leaves the extensions room on a busy machine.
    const lock = { acquire: (name: string) => acquireRedisLock(redis, `${prefix}:lock:${name}`, 2000) };
    const held = await lock.acquire('gmail:a');
    await new Promise((r) => setTimeout(r, 5000));
    expect(await lock.acquire('gmail:a')).toEqual({ heldForMs: expect.any(Number) });
    if ('release' in held) await held.release();

    // A holder whose key expired (its process stalled) must not delete the new holder's lock.
    const stale = await lock.acquire('gmail:a');
    await redis.del(`${prefix}:lock:gmail:a`);
    const fresh = await lock.acquire('gmail:a');
    if ('release' in stale) await stale.release();
    expect(await redis.exists(`${prefix}:lock:gmail:a`)).toBe(1);
    if ('release' in fresh) await fresh.release();
  });

  it('tells its holder through the signal when another worker took the key, and not after release', async () => {
    const key = `${prefix}:lock:taken`;
    const held = await acquireRedisLock(redis, key, 600);
    if (!('release' in held)) throw new Error('expected to hold the lock');
    expect(held.signal.aborted).toBe(false);
    // The holder stalled past its TTL and another worker took the key.
    await redis.set(key, 'someone-else', 'PX', 5000);
    await waitFor('the lock to be reported lost', () => held.signal.aborted, { timeoutMs: 30_000 });
    expect(held.signal.reason).toBeInstanceOf(LockLostError);
    expect((held.signal.reason as LockLostError).key).toBe(key);
    await held.release();
    expect(await redis.get(key)).toBe('someone-else');

    const kept = await acquireRedisLock(redis, `${prefix}:lock:kept`, 600);
    if (!('release' in kept)) throw new Error('expected to hold the lock');
    await kept.release();
    await redis.del(`${prefix}:lock:kept`);
    await new Promise((r) => setTimeout(r, 700));
    expect(kept.signal.aborted).toBe(false);
  });

  it('tells its holder when Redis cannot be reached for a whole TTL', async () => {
    const own = new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    await own.connect();
    const held = await acquireRedisLock(own, `${prefix}:lock:offline`, 600);
    if (!('release' in held)) throw new Error('expected to hold the lock');
    own.disconnect(); // every extension now fails at once
    await waitFor('the lock to be reported lost', () => held.signal.aborted, { timeoutMs: 30_000 });
    expect((held.signal.reason as Error).message).toMatch(/no extension succeeded for 600 ms/);
  });
});
