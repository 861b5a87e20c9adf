import type { Job, Queue } from 'bullmq';
import { cleanTimeOf, type CleanState } from './clean-state';

/** Jobs read per round trip while looking for clean candidates. */
const PAGE = 500;

/**
 * Ids of the jobs `jobs-cli clean` removes at time `before` (ms since the epoch): those of `state`
 * whose clean time ({@link cleanTimeOf}) is at or before it, in the state's own order, at most
 * `limit` (0: all). The whole state is read, not BullMQ's window of the first `limit` entries;
 * `removeCleanCandidates` then removes exactly these ids.
 * Job-scheduler jobs (`repeat:` ids) are skipped for unfinished states, as BullMQ does. Reads the
 * state's jobs in pages of 500, so a dry run over many jobs costs reads, never a change.
 */
export async function findCleanCandidates(queue: Queue, state: CleanState, before: number, limit: number): Promise<string[]> {
  const type = state === 'waiting' ? 'wait' : state;
  const ids: string[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = (await queue.getJobs([type], start, start + PAGE - 1, true)) as (Job | undefined)[];
    for (const job of page) {
      if (!job || job.id === undefined) continue;
      if (state !== 'completed' && state !== 'failed' && job.id.startsWith('repeat:')) continue;
      const at = cleanTimeOf(job, state);
      if (at === undefined || at <= before) ids.push(job.id);
      if (limit > 0 && ids.length >= limit) return ids;
    }
    if (page.length < PAGE) return ids;
  }
}
