import type { Job, JobState } from 'bullmq';
import type { QueueName } from '@jobs/queue-contracts';
import { maskSecrets } from './mask-secrets';

/** Everything `jobs-cli show` prints of one job, secrets masked ({@link maskSecrets}). Times in ms since the epoch. */
export interface JobDetails {
  id: string;
  name: string;
  queue: QueueName;
  state: JobState | 'unknown';
  attemptsMade: number;
  attemptsStarted: number;
  /** Attempts allowed: `opts.attempts`, at least 1 (BullMQ stores 0 when none was given and runs the job once). */
  attempts: number;
  progress: unknown;
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  /** When a delayed job becomes due; null when not delayed. */
  delayedUntil: number | null;
  failedReason: string | null;
  stacktrace: string[];
  returnvalue: unknown;
  data: unknown;
  opts: unknown;
  /** The job's log lines (`queue.getJobLogs`), oldest first. */
  logs: string[];
}

/**
 * The {@link JobDetails} of `job`, whatever it holds masked: data, options, progress, return
 * value, failure reason, stack trace and logs all pass through {@link maskSecrets}.
 */
export function toJobDetails(job: Job, queue: QueueName, state: JobState | 'unknown', logs: readonly string[]): JobDetails {
  const details: JobDetails = {
    id: String(job.id),
    name: job.name,
    queue,
    state,
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted ?? 0,
    attempts: Math.max(1, job.opts.attempts ?? 1),
    progress: job.progress,
    timestamp: job.timestamp,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
    delayedUntil: job.delay > 0 ? job.timestamp + job.delay : null,
    failedReason: job.failedReason || null,
    stacktrace: job.stacktrace ?? [],
    returnvalue: job.returnvalue ?? null,
    data: job.data,
    opts: job.opts,
    logs: [...logs],
  };
  return maskSecrets(details) as JobDetails;
}
