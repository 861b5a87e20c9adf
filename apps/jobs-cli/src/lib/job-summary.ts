import type { Job } from 'bullmq';
import { redactSecrets } from '@jobs/worker-kit';

/** One job as `jobs-cli list --json` prints it: no data (see `jobs-cli show`), failure reason masked. */
export interface JobSummary {
  id: string;
  name: string;
  attemptsMade: number;
  /** Attempts allowed: `opts.attempts`, at least 1 (BullMQ stores 0 when none was given and runs the job once). */
  attempts: number;
  /** When it was added, ms since the epoch. */
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  /** When a delayed job becomes due, ms since the epoch; null when not delayed. */
  delayedUntil: number | null;
  failedReason: string | null;
}

/** The {@link JobSummary} of a BullMQ job. */
export function toJobSummary(job: Job): JobSummary {
  return {
    id: String(job.id),
    name: job.name,
    attemptsMade: job.attemptsMade,
    attempts: Math.max(1, job.opts.attempts ?? 1),
    timestamp: job.timestamp,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
    delayedUntil: job.delay > 0 ? job.timestamp + job.delay : null,
    failedReason: job.failedReason ? redactSecrets(job.failedReason) : null,
  };
}
