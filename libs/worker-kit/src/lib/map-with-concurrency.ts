/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight and returns the results
 * in the order of `items`. Items are started in order. After the first failure no further items
 * start, and the returned promise rejects with that failure once running calls have settled, so
 * nothing is left running behind the caller's back.
 *
 * @param concurrency - an integer >= 1.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let failure: unknown;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await worker(items[index], index);
      } catch (err) {
        if (!failed) {
          failed = true;
          failure = err;
        }
      }
    }
  };
  const lanes = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failed) throw failure;
  return results;
}
