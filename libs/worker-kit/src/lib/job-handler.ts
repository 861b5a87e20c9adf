import type { Job } from 'bullmq';
import type { InternalJobName, JobData, JobName, JobResult, QueueName, JobNamesOf } from '@jobs/queue-contracts';
import type { Logger } from './logger-type';

/** Everything a handler may touch for one job, in one object. */
export interface JobContext<N extends JobName> {
  /** The BullMQ job (id, attemptsMade, opts ...). */
  readonly job: Job;
  /** `job.data` parsed through the job's contract. */
  readonly data: JobData<N>;
  /** Child of the root logger bound to queue, jobName, jobId and attempt (1-based). */
  readonly log: Logger;
  /**
   * Aborted when the job is cancelled or the worker's shutdown grace runs out: stop promptly
   * and throw (the worker hands the job back to the queue without using up an attempt).
   */
  readonly signal: AbortSignal;
  /** Stores progress on the job (`job.progress`) for producers and dashboards. */
  updateProgress(progress: number | object): Promise<void>;
}

/** Does one job's work and returns its result (checked against the job's result schema). */
export type JobHandler<N extends JobName> = (ctx: JobContext<N>) => Promise<JobResult<N>>;

/**
 * A handler for every job name that goes to queue `Q`; optional for internal ones (a job the
 * worker adds to its own queue, e.g. `WORKFLOW_STEP_DEADLINE`), which a worker without the
 * handler fails as unknown (`UnrecoverableError`).
 */
export type JobHandlers<Q extends QueueName> = { [N in Exclude<JobNamesOf<Q>, InternalJobName>]: JobHandler<N> } & {
  [N in Extract<JobNamesOf<Q>, InternalJobName>]?: JobHandler<N>;
};
