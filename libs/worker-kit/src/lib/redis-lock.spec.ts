import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { acquireRedisLock } from './redis-lock';

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
    expect((second as { heldForMs: number }).heldForMs).toBeGreaterThan(4000);
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
    const lock = { acquire: (name: string) => acquireRedisLock(redis, `${prefix}:lock:${name}`, 600) };
    const held = await lock.acquire('gmail:a');
    await new Promise((r) => setTimeout(r, 1500));
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
});
