import type { Queue } from 'bullmq';
import type { CleanState } from './clean-state';

/** Ids removed per round of concurrent requests (ioredis pipelines them on the one connection). */
const BATCH = 500;

/** What {@link removeCleanCandidates} did with the ids it was given; each id is in exactly one list. */
export interface CleanRemoval {
  /** Removed (job hash, logs and its entry in the state's set or list). */
  readonly removed: string[];
  /** Still in the state but locked by a worker: BullMQ refused to remove it. */
  readonly locked: string[];
  /** No longer in the state when its turn came (run, retried, removed meanwhile): left as it is. */
  readonly moved: string[];
}

/**
 * Removes exactly the jobs a dry run listed ({@link findCleanCandidates}), not BullMQ's
 * `queue.clean`: that script looks only at the first `limit` entries of a delayed/prioritized/wait
 * set in score order (due time or priority, not age), or at the first 10 000 without a limit
 * (BullMQ 6.7 `cleanJobsInSet-3.lua`), so it can remove none of the old jobs the listing showed.
 *
 * Each id is checked to still be in `state` (`queue.getJobState`) and then removed with
 * `queue.remove(id)` (BullMQ's `removeJob` script, which refuses a locked job and removes its
 * children too). A job that changes state between the check and the removal (a worker takes it)
 * is locked by then and refused; one completing in that instant would be removed.
 * @throws the Redis client's error when Redis cannot be reached (ids removed before it stay removed).
 */
export async function removeCleanCandidates(queue: Queue, state: CleanState, ids: readonly string[]): Promise<CleanRemoval> {
  const result: CleanRemoval = { removed: [], locked: [], moved: [] };
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    const outcomes = await Promise.all(batch.map((id) => removeOne(queue, state, id)));
    outcomes.forEach((outcome, index) => result[outcome].push(batch[index]));
  }
  return result;
}

async function removeOne(queue: Queue, state: CleanState, id: string): Promise<keyof CleanRemoval> {
  const current = await queue.getJobState(id);
  if (current !== state) return 'moved';
  return (await queue.remove(id)) === 1 ? 'removed' : 'locked';
}
