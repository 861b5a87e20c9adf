import { OneAtATime } from './one-at-a-time';

describe('OneAtATime', () => {
  it('runs tasks one after another, in order, and refuses beyond the waiting limit', async () => {
    const gate = new OneAtATime(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(n);
      running -= 1;
      return n;
    };
    const results = await Promise.all([gate.run(task(1)), gate.run(task(2)), gate.run(task(3))]);
    // The first is queued behind a settled promise too, so it counts as waiting until it starts.
    expect(results).toEqual([1, 2, undefined]);
    expect(order).toEqual([1, 2]);
    expect(most).toBe(1);
    await expect(gate.run(task(4))).resolves.toBe(4);
  });

  it('keeps going after a task fails', async () => {
    const gate = new OneAtATime(5);
    await expect(gate.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});
