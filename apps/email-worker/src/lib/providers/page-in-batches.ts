import { mapWithConcurrency } from '@jobs/worker-kit';
import type { MailChange, SyncPage } from './mail-provider';

/** One provider page to download and hand over in batches. */
export interface PageToBatch<T, M> {
  /** Things to download (message ids, delta items). */
  readonly items: readonly T[];
  /** Downloads in flight at once, and items per batch. */
  readonly batchSize: number;
  readonly download: (item: T) => Promise<M | null>;
  /** Optional: which items need no download (handed over before); asked per batch. */
  readonly known?: (items: readonly T[]) => Promise<boolean[]>;
  /** The change for a downloaded item (null: nothing to hand over, e.g. a draft). */
  readonly toChange: (item: T, downloaded: M | null) => MailChange | null;
  /** Changes that need no download (deletions); they go with the first batch. */
  readonly head: readonly MailChange[];
  /** The page's resume point and cursor, carried by its last batch only. */
  readonly checkpoint: string;
  readonly cursor: string | null;
  readonly fullSync: boolean;
}

/**
 * Yields one provider page as batches of at most `batchSize` downloaded messages, so the
 * worker holds one batch of message bodies at a time whatever the page size (a page of 100
 * messages with 10 MB attachments would otherwise be a gigabyte). Always yields at least one
 * batch, so a page with nothing in it still moves the checkpoint.
 */
export async function* pageInBatches<T, M>(page: PageToBatch<T, M>): AsyncIterable<SyncPage> {
  const { items, batchSize } = page;
  for (let from = 0; from < items.length || from === 0; from += batchSize) {
    const batch = items.slice(from, from + batchSize);
    const known = page.known && batch.length > 0 ? await page.known(batch) : batch.map(() => false);
    const slice = batch.filter((_, i) => !known[i]);
    const downloaded = await mapWithConcurrency(slice, batchSize, page.download);
    const changes: MailChange[] = from === 0 ? [...page.head] : [];
    slice.forEach((item, i) => {
      const change = page.toChange(item, downloaded[i] ?? null);
      if (change) changes.push(change);
    });
    const last = from + batchSize >= items.length;
    yield {
      changes,
      fetched: downloaded.filter((d) => d !== null).length,
      skippedKnown: batch.length - slice.length,
      checkpoint: last ? page.checkpoint : null,
      cursor: last ? page.cursor : null,
      fullSync: page.fullSync,
    };
  }
}
