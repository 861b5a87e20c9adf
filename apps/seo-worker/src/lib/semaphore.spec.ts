import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('admits at most `permits` holders, first come first served', async () => {
    const semaphore = new Semaphore(2);
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        const release = await semaphore.acquire();
        order.push(n);
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active -= 1;
        release();
        release(); // a second call is harmless
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops waiting when the signal aborts, and rejects bad permit counts', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    const again = await semaphore.acquire(); // the aborted waiter did not take the permit
    again();
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
