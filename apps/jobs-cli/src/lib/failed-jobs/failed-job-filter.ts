import type { JobName } from '@jobs/queue-contracts';
import type { ErrorPattern } from './parse-error-pattern';

/**
 * Which failed jobs of a queue `retry` / `redrive` pick. Every field narrows the selection;
 * an empty filter selects every failed job, oldest failure first.
 */
export interface FailedJobFilter {
  /** Failed at or after this instant (ms since the epoch; BullMQ's `finishedOn`). Inclusive. */
  readonly failedSinceMs?: number;
  /** Failed before this instant (ms since the epoch). Exclusive, so `since`/`before` ranges tile. */
  readonly failedBeforeMs?: number;
  /** Only jobs with one of these names (`job.name`); empty or absent: any name. */
  readonly names?: readonly JobName[];
  /** Only jobs whose `failedReason` matches (see {@link ErrorPattern} for the length guard). */
  readonly errorMatches?: ErrorPattern;
  /** At most this many jobs (the oldest failures first); absent: no limit. */
  readonly limit?: number;
}

