import type { Job } from 'bullmq';
import type { JobData } from '@jobs/queue-contracts';

/**
 * The key of a draft job's record (DraftRecordStore): the job id plus its creation time (ms), so
 * a later job that reuses the id (after the first was removed) is a new draft, not a retry of
 * the old one. A job without an id (never in BullMQ, but typed so) falls back to user and thread.
 */
export function draftJobKey(job: Pick<Job, 'id' | 'timestamp'>, data: Pick<JobData<'EMAIL_DRAFT'>, 'userId' | 'threadId'>): string {
  return `${job.id ?? `${data.userId}:${data.threadId}`}:${job.timestamp}`;
}
