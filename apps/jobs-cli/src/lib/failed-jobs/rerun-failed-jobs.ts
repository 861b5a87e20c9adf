import { ErrorCode, Job, type Queue } from 'bullmq';
import { isRedisUnavailableError } from '@jobs/queue-contracts';
import { clusterUnavailableReason } from '../cluster-unavailable-reason';

/** Jobs moved per batch unless told otherwise (`--batch-size`). */
export const DEFAULT_RERUN_BATCH_SIZE = 500;

/** A job that could not be moved back to wait, and why (the error's message). */
export interface RerunError {
  readonly id: string;
  readonly message: string;
}

/** What {@link rerunFailedJobs} did: every id given is counted once in moved, skipped or errors, or not at all when stopped. */
export interface RerunOutcome {
  /** Moved from failed to wait (or prioritized), attempts reset. */
  moved: number;
  /** No longer failed when its turn came (retried, removed or re-run meanwhile): left as it was. */
  skipped: number;
  /** Ids the move failed for (Redis errors, BullMQ refusals other than "not failed"). */
  errors: RerunError[];
  /** True when `signal` stopped the run between two batches; ids of later batches were not touched. */
  stopped: boolean;
  /**
   * Set when Redis became unavailable mid-run (`isRedisUnavailableError`, `clusterUnavailableReason`): the run stopped there.
   * `error` is the client's error; `uncertain` counts the ids of the last batch whose move got no
   * answer (each may or may not have been moved: the script may have run before the connection
   * broke); later batches were not touched.
   */
  unavailable?: { readonly error: unknown; readonly uncertain: number };
}

/** Options of {@link rerunFailedJobs}. */
export interface RerunOptions {
  /** Ids moved concurrently per batch (default {@link DEFAULT_RERUN_BATCH_SIZE}); also how often progress is reported. */
  readonly batchSize?: number;
  /** Checked before each batch: once aborted, no further batch starts (the running one completes). */
  readonly signal?: AbortSignal;
  /**
   * Called after each batch with how many ids have been handled so far (moved + skipped +
   * errors); awaited before the next batch starts.
   */
  readonly onProgress?: (handled: number) => void | Promise<void>;
}

/**
 * Moves failed jobs of `queue` back to wait with their attempts reset, so they run again as if new.
 *
 * Each job goes through BullMQ's own `job.retry('failed', { resetAttemptsMade, resetAttemptsStarted })`
 * (the `reprocessJob` script): in one atomic step it removes the id from the failed set and, only
 * if it was there, clears the job's finish fields and attempt counters and pushes it to wait (or
 * prioritized, keeping its priority and LIFO option), wakes workers and emits `waiting`. A job
 * that is no longer failed — another operator or a worker moved it — is refused by the script
 * (`ErrorCode.JobNotInState`, or `JobNotExist` when it was removed) and counted as skipped, so
 * running the same selection twice never queues a job twice.
 *
 * Not BullMQ's bulk `queue.retryJobs()` (`moveJobsToWait`): it takes every failed job up to a
 * timestamp (no lower bound, no per-job filter), keeps the attempt counters, and pushes
 * prioritized jobs to the plain wait list.
 *
 * Of the job only its `opts` field is read (one HGET; `retry`'s script needs the id and the LIFO
 * option, and reads the rest itself in Redis), so a batch costs memory by its ids, not by the
 * jobs' data (2 000 jobs of 200 KB: peak RSS 490 MB with whole hashes, see the commit). Within a
 * batch every read and move is issued at once; ioredis writes them on the one
 * connection without waiting for answers (pipelining), so a batch of 500 costs a few round trips.
 *
 * When Redis cannot be reached or the connection breaks (`isRedisUnavailableError`, or a
 * cluster's own such errors, `clusterUnavailableReason`) the run
 * stops there rather than count every later job as an error, and resolves with what was done
 * and {@link RerunOutcome.unavailable} set; jobs already moved stay moved. Any other failure of
 * one job is counted in {@link RerunOutcome.errors} and the run goes on. Never rejects for a
 * single job's failure.
 */
export async function rerunFailedJobs(queue: Queue, ids: readonly string[], options: RerunOptions = {}): Promise<RerunOutcome> {
  const batchSize = options.batchSize ?? DEFAULT_RERUN_BATCH_SIZE;
  const outcome: RerunOutcome = { moved: 0, skipped: 0, errors: [], stopped: false };
  for (let start = 0; start < ids.length; start += batchSize) {
    if (options.signal?.aborted) {
      outcome.stopped = true;
      break;
    }
    const batch = ids.slice(start, start + batchSize);
    const results = await Promise.allSettled(batch.map((id) => rerunOne(queue, id)));
    let lost: { error: unknown; uncertain: number } | undefined;
    results.forEach((settled, index) => {
      if (settled.status === 'rejected') {
        lost = { error: lost?.error ?? settled.reason, uncertain: (lost?.uncertain ?? 0) + 1 };
        return;
      }
      const result = settled.value;
      if (result === 'moved') outcome.moved += 1;
      else if (result === 'skipped') outcome.skipped += 1;
      else outcome.errors.push({ id: batch[index], message: result.message });
    });
    if (lost) {
      outcome.unavailable = lost;
      break;
    }
    await options.onProgress?.(start + batch.length);
  }
  return outcome;
}

async function rerunOne(queue: Queue, id: string): Promise<'moved' | 'skipped' | Error> {
  try {
    // `retry` sends only the id and the LIFO option to its script: read the `opts` field alone,
    // not the whole hash (`Job.fromId`), whose data may be hundreds of KB per job.
    const client = await queue.getBackend().client;
    const opts = await client.hget(queue.toKey(id), 'opts');
    if (opts === null) return 'skipped';
    const lifo = (JSON.parse(opts) as { lifo?: unknown }).lifo === true;
    await new Job(queue, '', null, { lifo }, id).retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return 'moved';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === ErrorCode.JobNotInState || code === ErrorCode.JobNotExist) return 'skipped';
    if (isRedisUnavailableError(error) || clusterUnavailableReason(error) !== undefined) throw error;
    return error instanceof Error ? error : new Error(String(error));
  }
}
