import { Redis } from 'ioredis';
import { busiestSecond, deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { RateLimiter } from './rate-limiter';

// Times are Redis's clock at the moment the limiter let a call through (what take() resolves
// with), so what is asserted holds however late this machine runs timers. Two limiters on two
// connections stand for two worker processes (the process spec runs real ones). How fast calls
// go is measured by `npm run bench:enrichment`, not here.

describe('RateLimiter (Redis-backed, shared by every process on the same key)', () => {
  const url = testRedisUrl();
  let prefix: string;
  const clients: Redis[] = [];
  const limiter = (perSecond: number) => {
    const redis = new Redis(url);
    clients.push(redis);
    return new RateLimiter({ redis, key: `${prefix}:rate-limit:apify`, perSecond });
  };
  beforeEach(() => {
    prefix = uniquePrefix('rate');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.quit()));
    await deletePrefix(url, prefix);
  });

  it('lets at most perSecond calls start in any second over two limiters sharing a key, however many callers ask at once', async () => {
    const [a, b] = [limiter(20), limiter(20)];
    const starts: number[] = [];
    const ask = (l: RateLimiter) => l.take().then((at) => starts.push(at));
    await Promise.all(Array.from({ length: 40 }, (_, i) => ask(i % 2 === 0 ? a : b)));
    expect(starts).toHaveLength(40);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(20);
    const sorted = [...starts].sort((x, y) => x - y);
    // 20/s with the 5% margin is 52.5 ms between any two calls of either limiter (the limiter
    // decides in whole µs; ms near 1.7e12 lose ~0.0002 in a double, hence 52.499).
    expect(Math.min(...sorted.slice(1).map((t, i) => t - (sorted[i] as number)))).toBeGreaterThanOrEqual(52.499);
  });

  it('does not release a burst after a late wake-up: spacing is counted from when each call went', async () => {
    const l = limiter(20);
    const starts: number[] = [];
    const calls = Array.from({ length: 20 }, (_, i) =>
      l.take().then((at) => {
        starts.push(at);
        // The event loop stalls for 400 ms after the 5th call, as on a busy machine: calls booked
        // in advance would all be due at once when it resumes.
        if (i === 4) {
          const until = Date.now() + 400;
          while (Date.now() < until) {
            // stall
          }
        }
      }),
    );
    await Promise.all(calls);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(52.499);
  });

  it('a pause set through one limiter holds every other limiter on the key until it ends, and a shorter pause does not cut it short', async () => {
    const [a, b] = [limiter(100), limiter(100)];
    await b.take();
    const pausedUntil = await a.pauseFor(400);
    expect(await b.pauseFor(10)).toBe(pausedUntil);
    expect(await b.take()).toBeGreaterThanOrEqual(pausedUntil);
  });

  it('says how long the pause set by any limiter on the key has left, and 0 when there is none', async () => {
    const [a, b] = [limiter(100), limiter(100)];
    expect(await b.pausedForMs()).toBe(0);
    await a.pauseFor(600_000);
    const left = await b.pausedForMs();
    // Redis's clock runs between the two calls: somewhat less than the pause, never more.
    expect(left).toBeGreaterThan(500_000);
    expect(left).toBeLessThanOrEqual(600_000);
  });

  it('gives up waiting when the signal is aborted, even behind others in line, and takes no slot', async () => {
    const l = limiter(1);
    await l.take();
    const ahead = l.take();
    const controller = new AbortController();
    const waiting = l.take(controller.signal);
    const order: string[] = [];
    controller.abort(new Error('cancelled'));
    await expect(waiting.catch((err: unknown) => (order.push('aborted'), Promise.reject(err)))).rejects.toThrow('cancelled');
    order.push(...(await ahead.then(() => ['ahead'])));
    expect(order).toEqual(['aborted', 'ahead']);
    expect(() => l.take(controller.signal)).toThrow('cancelled');
  });

  it('keeps its state under the documented key only', async () => {
    const l = limiter(10);
    await l.take();
    await l.pauseFor(50);
    const redis = clients[0] as Redis;
    expect(Object.keys(await redis.hgetall(`${prefix}:rate-limit:apify`)).sort()).toEqual(['lastCallAt', 'pausedUntil']);
    expect(await redis.pttl(`${prefix}:rate-limit:apify`)).toBeGreaterThan(0);
  });
});
