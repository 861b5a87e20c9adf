import { Worker, type Job, type JobJson } from 'bullmq';
import { exceedsJsonDepth, MAX_JOB_DATA_DEPTH } from './json-depth';
import type { LazyAbortSignal } from './lazy-abort-signal';

/** Failure reason of a job whose stored `data` field does not parse as JSON. */
export const DATA_NOT_JSON_REASON = 'job data is not JSON: the stored data field cannot be parsed';

/** Failure reason of a job whose data is nested deeper than {@link MAX_JOB_DATA_DEPTH}. */
export const DATA_TOO_DEEP_REASON = `job data is nested deeper than ${MAX_JOB_DATA_DEPTH} levels`;

/**
 * A BullMQ Worker that fails poison job data at once, as unrecoverable, instead of losing the job
 * in `active` for ever.
 *
 * Why here: BullMQ parses `data` in `Job.fromJSON`, called from the protected `createJob` right
 * after `moveToActive`, outside the processor. A `SyntaxError` there escapes the fetch loop
 * (emitted as a worker error) while the job stays `active` with its lock; the stalled check then
 * moves it back to wait and the next fetch throws again, for ever (BullMQ 6.7 `worker.js`,
 * `nextJobFromJobData`). Overriding `createJob` is the one place that sees the raw field: the
 * job is built with empty data and BullMQ's own `deferredFailure`, which `processJob` turns into
 * an `UnrecoverableError` before the processor would run, so the job reaches `failed` on its
 * first pick-up with the reason named and its stored data left as it was for inspection.
 * Data nested deeper than {@link MAX_JOB_DATA_DEPTH} is failed the same way, before anything
 * recurses over it.
 *
 * Job signals: `createQueueWorker`'s processor takes two parameters, so BullMQ builds no
 * AbortController per job; it registers a {@link LazyAbortSignal} per running job in `jobSignals`
 * instead, and `cancelJob` / `cancelAllJobs` abort those (then BullMQ's own, for a processor that
 * takes a signal).
 */
export class GuardedWorker extends Worker {
  /** The signal of each job running now, by job id; kept by the processor. */
  readonly jobSignals = new Map<string, LazyAbortSignal>();

  /** Aborts the signal of running job `jobId` with `reason`; false when no such job runs here. */
  override cancelJob(jobId: string, reason?: string): boolean {
    const signal = this.jobSignals.get(jobId);
    if (!signal) return super.cancelJob(jobId, reason);
    signal.abort(reason);
    return true;
  }

  /** Aborts the signals of every job running here with `reason`. */
  override cancelAllJobs(reason?: string): void {
    for (const signal of this.jobSignals.values()) signal.abort(reason);
    super.cancelAllJobs(reason);
  }

  protected override createJob(data: JobJson, jobId: string): Job {
    let job: Job;
    try {
      job = super.createJob(data, jobId);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      job = super.createJob({ ...data, data: '{}' }, jobId);
      job.deferredFailure = DATA_NOT_JSON_REASON;
      return job;
    }
    if (exceedsJsonDepth(job.data, MAX_JOB_DATA_DEPTH)) {
      job.data = {};
      job.deferredFailure = DATA_TOO_DEEP_REASON;
    }
    return job;
  }
}
