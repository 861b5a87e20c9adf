import type { Job } from 'bullmq';
import type { JobName } from './job-names';
import type { JobData } from './job-registry';

/**
 * What a producer's add returns: the job as Redis holds it, and whether it was there before.
 * - `alreadyExisted: false`: this call created the job (its data is the data passed, parsed).
 * - `alreadyExisted: true`: a job with the same `jobId` was already kept (waiting, delayed,
 *   active, completed or failed and not yet removed), so Redis kept it and ignored this call:
 *   the job returned is that earlier one, its data the earlier data (parsed by the contract when
 *   it still matches it), not the data of this call.
 *
 * Only a custom `jobId` can collide; BullMQ's own ids are always new. A `jobId` stops duplicates
 * only while the earlier job is kept: completed jobs are removed after 24 h (or beyond the last
 * 1000 of their queue), failed ones after 7 days, and the same `jobId` then makes a new job.
 */
export type AddedJob<N extends JobName> = Job<JobData<N>> & { readonly alreadyExisted: boolean };

/**
 * Marks `job` with `alreadyExisted` (a read-only property that is not enumerable, so BullMQ's
 * `toJSON` and log serialisers leave it out) and returns it as an {@link AddedJob}.
 */
export function markAddedJob<N extends JobName>(job: Job<JobData<N>>, alreadyExisted: boolean): AddedJob<N> {
  Object.defineProperty(job, 'alreadyExisted', { value: alreadyExisted, enumerable: false, writable: false });
  return job as AddedJob<N>;
}
