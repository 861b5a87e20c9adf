import { mapWithConcurrency } from './map-with-concurrency';

describe('mapWithConcurrency', () => {
  it('keeps input order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (n, index) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight -= 1;
      return `${index}:${n}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(most).toBe(2);
  });

  it('starts nothing after the first failure and rejects only once running calls settled', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const failure = await mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('boom');
      await new Promise((r) => setTimeout(r, 20));
      settled.push(n);
      return n;
    }).catch((err: unknown) => err);
    expect((failure as Error).message).toBe('boom');
    expect(started).toEqual([0, 1]);
    expect(settled).toEqual([0]);
  });

  it('returns [] for no items', async () => {
    expect(await mapWithConcurrency([], 3, async () => 1)).toEqual([]);
  });
});
