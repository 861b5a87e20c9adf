import { RateLimiter } from './rate-limiter';

/** Most calls that started within any one second. */
function busiestSecond(times: number[]): number {
  let most = 0;
  for (const [i, t] of times.entries()) most = Math.max(most, times.slice(i).filter((u) => u < t + 1000).length);
  return most;
}

describe('RateLimiter', () => {
  it('lets at most perSecond calls start in any second, however many callers ask at once', async () => {
    const limiter = new RateLimiter(20);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 45 }, () => limiter.take().then(() => starts.push(Date.now()))));
    starts.sort((a, b) => a - b);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(20);
    // And it does not hold calls back much more than that: 45 calls take about 2.2 s, not 4.
    expect((starts.at(-1) as number) - (starts[0] as number)).toBeLessThan(3500);
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
