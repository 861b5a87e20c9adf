/**
 * `Promise.all(items.map(fn))` with at most `limit` calls in flight, results in input order.
 * Written here rather than taken from p-limit/p-map: their current majors are ESM-only, which
 * this CommonJS build and its jest setup cannot load, and the whole need is these lines.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
