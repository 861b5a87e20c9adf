/** One failed job picked by {@link selectFailedJobs}: what a dry run lists. */
export interface SelectedFailedJob {
  /** BullMQ job id. */
  readonly id: string;
  /** `job.name`; empty when the job's hash was gone when it was read. */
  readonly name: string;
  /** `job.failedReason` (the last attempt's error message); null when none was stored. */
  readonly failedReason: string | null;
  /** When the job failed: its score in the failed set (`finishedOn`), ms since the epoch. */
  readonly failedAtMs: number;
}
