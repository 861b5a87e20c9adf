import { ErrorCode, Job, type Queue } from 'bullmq';

/** Ids promoted per round of concurrent requests (ioredis pipelines them on the one connection). */
const BATCH = 500;

/** Prefix of the ids BullMQ gives the delayed jobs of a job scheduler (repeatable jobs). */
export const SCHEDULER_JOB_ID_PREFIX = 'repeat:';

/** What {@link promoteDelayedJobs} did with the ids it was given; each id is in exactly one list. */
export interface DelayedPromotion {
  /** Moved to wait, or to prioritized when the job has a priority. */
  readonly promoted: string[];
  /** No longer delayed when its turn came (promoted, removed or run meanwhile): left as it is. */
  readonly moved: string[];
}

/**
 * Promotes each delayed job of `ids` with BullMQ's per-job `promote` script (what `job.promote()`
 * runs): it keeps the job's priority (a prioritized job goes to the prioritized set, not to the
 * plain wait list as `queue.promoteJobs()` / `moveJobsToWait` would) and needs only the id, so
 * no job hash is read. Callers leave job-scheduler ids ({@link SCHEDULER_JOB_ID_PREFIX}) out:
 * promoting those runs a scheduled occurrence early.
 * @throws the Redis client's error when Redis cannot be reached (jobs promoted before it stay promoted).
 */
export async function promoteDelayedJobs(queue: Queue, ids: readonly string[]): Promise<DelayedPromotion> {
  const result: DelayedPromotion = { promoted: [], moved: [] };
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    const outcomes = await Promise.all(batch.map((id) => promoteOne(queue, id)));
    outcomes.forEach((outcome, index) => result[outcome].push(batch[index]));
  }
  return result;
}

async function promoteOne(queue: Queue, id: string): Promise<keyof DelayedPromotion> {
  try {
    // A Job built from the id alone: BullMQ's promote sends only the id, so reading the job's
    // hash (its data may be large) would be wasted.
    await new Job(queue, '', null, {}, id).promote();
    return 'promoted';
  } catch (error) {
    if ((error as { code?: unknown }).code === ErrorCode.JobNotInState) return 'moved';
    throw error;
  }
}
