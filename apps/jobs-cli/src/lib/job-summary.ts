import { maskSecrets } from './mask-secrets';

/** One job as `jobs-cli list --json` prints it: no data (see `jobs-cli show`), name and failure reason masked. */
export interface JobSummary {
  id: string;
  /** The job name, through the kit's masker (a name may carry a token: `sync Bearer …`). */
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
  /** The last failure reason, masked; null when none. */
  failedReason: string | null;
}

/** The stored fields of a job that a {@link JobSummary} is made of (see `readJobSummaries`). Times in ms since the epoch. */
export interface JobSummaryFields {
  id: string;
  name: string;
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  attemptsMade: number;
  /** `opts.attempts`; undefined when none was given. */
  attempts: number | undefined;
  /** `opts.delay` as stored, ms (0 when not delayed). */
  delay: number;
  failedReason: string | null;
}

/** The {@link JobSummary} of a job's stored fields, name and failure reason through {@link maskSecrets}. */
export function toJobSummary(job: JobSummaryFields): JobSummary {
  return {
    id: job.id,
    name: maskSecrets(job.name) as string,
    attemptsMade: job.attemptsMade,
    attempts: Math.max(1, job.attempts ?? 1),
    timestamp: job.timestamp,
    processedOn: job.processedOn,
    finishedOn: job.finishedOn,
    delayedUntil: job.delay > 0 ? job.timestamp + job.delay : null,
    failedReason: job.failedReason ? (maskSecrets(job.failedReason) as string) : null,
  };
}
