import { busiestSecond } from '@jobs/test-support';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets at most perSecond calls start in any second, however many callers ask at once', async () => {
    const limiter = new RateLimiter(20);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 45 }, () => limiter.take().then(() => starts.push(Date.now()))));
    expect(busiestSecond(starts)).toBeLessThanOrEqual(20);
    // And it does not hold calls back much more than that: 45 calls take about 2.2 s, not 4.
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(3500);
  });

  it('pauseFor delays every later call', async () => {
    const limiter = new RateLimiter(100);
    await limiter.take();
    limiter.pauseFor(400);
    const before = Date.now();
    await limiter.take();
    expect(Date.now() - before).toBeGreaterThanOrEqual(390);
  });

  it('gives up waiting when the signal is aborted', async () => {
    const limiter = new RateLimiter(1);
    await limiter.take();
    const controller = new AbortController();
    const waiting = limiter.take(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow();
  });
});
