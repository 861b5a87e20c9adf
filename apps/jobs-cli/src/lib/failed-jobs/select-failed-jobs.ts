import type { Queue } from 'bullmq';
import type { FailedJobFilter } from './failed-job-filter';
import { readFailedPage } from './read-failed-page';
import type { SelectedFailedJob } from './selected-failed-job';

/** Entries read from the failed set per round trip unless told otherwise. */
export const DEFAULT_SELECT_PAGE_SIZE = 500;

/**
 * Walks `<prefix>:<queue>:failed` oldest failure first and yields, page by page, the jobs that
 * pass `filter` (time range on the set's score; name and reason checked here). Read-only.
 *
 * Paging is by score, not by offset from the start: each page starts at the last score seen,
 * skipping the entries of that score already returned, so a page costs O(log n + page) however
 * deep into a large set it is. Many jobs share a millisecond when a worker fails them in a burst;
 * the ids returned at that score are remembered so an entry added meanwhile at the same score cannot be yielded twice.
 * An entry removed meanwhile (retried by someone else) at the page boundary may shift the window
 * by one; the re-run then finds the job no longer failed or the next run picks it up.
 *
 * @param pageSize - entries read per round trip (default {@link DEFAULT_SELECT_PAGE_SIZE}).
 * @throws the Redis client's error when Redis cannot be reached.
 */
export async function* selectFailedJobs(queue: Queue, filter: FailedJobFilter, pageSize = DEFAULT_SELECT_PAGE_SIZE): AsyncGenerator<SelectedFailedJob[]> {
  const names = filter.names && filter.names.length > 0 ? new Set<string>(filter.names) : undefined;
  const max = filter.failedBeforeMs === undefined ? '+inf' : `(${filter.failedBeforeMs}`;
  let minScore = filter.failedSinceMs === undefined ? '-inf' : String(filter.failedSinceMs);
  let skipAtMin = 0;
  let remaining = filter.limit ?? Number.POSITIVE_INFINITY;
  // Ids already returned at the current lowest score: all a page can repeat (see above).
  let seenAtMin = new Set<string>();
  while (remaining > 0) {
    const page = await readFailedPage(queue, { min: minScore, max, offset: skipAtMin, count: pageSize });
    if (page.length === 0) return;
    const last = page[page.length - 1].failedAtMs;
    const atLast = page.filter((job) => job.failedAtMs === last);
    const seen = seenAtMin;
    const sameScore = String(last) === minScore;
    skipAtMin = sameScore ? skipAtMin + atLast.length : atLast.length;
    seenAtMin = new Set([...(sameScore ? seen : []), ...atLast.map((job) => job.id)]);
    minScore = String(last);
    const picked: SelectedFailedJob[] = [];
    for (const job of page) {
      if (seen.has(job.id)) continue;
      if (names && !names.has(job.name)) continue;
      if (filter.errorMatches && !filter.errorMatches.test(job.failedReason)) continue;
      picked.push(job);
      if (picked.length >= remaining) break;
    }
    remaining -= picked.length;
    if (picked.length > 0) yield picked;
    if (page.length < pageSize) return;
  }
}
