import { busiestSecond } from '@jobs/test-support';
import { RateLimiter } from './rate-limiter';

// Times are read from the limiter's own clock when it lets a call through, so what is asserted
// holds however late the machine runs timers. How fast calls go is measured by
// `npm run bench:enrichment`, not here.

describe('RateLimiter', () => {
  it('lets at most perSecond calls start in any second, however many callers ask at once', async () => {
    const limiter = new RateLimiter(20);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 45 }, () => limiter.take().then((at) => starts.push(at))));
    expect(starts).toHaveLength(45);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(20);
  });

  it('does not release a burst after a late wake-up: spacing is counted from when each call went', async () => {
    const limiter = new RateLimiter(20);
    const starts: number[] = [];
    const calls = Array.from({ length: 30 }, (_, i) =>
      limiter.take().then((at) => {
        starts.push(at);
        // The event loop stalls for 400 ms after the 5th call, as on a busy machine: the timers
        // of calls booked in advance would all be due at once when it resumes.
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
    // 20/s with the 5% margin is 52.5 ms; Date.now() reads whole ms, so a gap may read 52.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(52);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(20);
  });

  it('pauseFor delays every later call', async () => {
    const limiter = new RateLimiter(100);
    await limiter.take();
    const before = Date.now();
    limiter.pauseFor(400);
    await limiter.take();
    expect(Date.now() - before).toBeGreaterThanOrEqual(400);
  });

  it('gives up waiting when the signal is aborted, even behind others in line, and takes no slot', async () => {
    const limiter = new RateLimiter(1);
    await limiter.take();
    const ahead = limiter.take();
    const controller = new AbortController();
    const waiting = limiter.take(controller.signal);
    const order: string[] = [];
    controller.abort(new Error('cancelled'));
    await expect(waiting.catch((err: unknown) => (order.push('aborted'), Promise.reject(err)))).rejects.toThrow('cancelled');
    order.push(...(await ahead.then(() => ['ahead'])));
    expect(order).toEqual(['aborted', 'ahead']);
    expect(() => limiter.take(controller.signal)).toThrow('cancelled');
  });
});
