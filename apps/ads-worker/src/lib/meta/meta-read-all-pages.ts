/** The part of the SDK's `Cursor` (an Array of the page's objects) this reads; the SDK's index does not export its type. */
export interface MetaCursor extends Array<unknown> {
  hasNext(): boolean;
  next(): Promise<unknown>;
}

/**
 * Every item of an SDK cursor: the first page it holds, then `cursor.next()` (which follows
 * Graph's `paging.next` URL) while `hasNext()`. Each page is a call through the job's
 * `MetaGraphApi` (paced, retried on rate limits).
 */
export async function readAllPages(first: unknown): Promise<unknown[]> {
  const cursor = (await first) as MetaCursor;
  const items: unknown[] = [...cursor];
  while (cursor.hasNext()) {
    await cursor.next();
    items.push(...cursor);
  }
  return items;
}
