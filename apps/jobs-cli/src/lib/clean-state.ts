import type { Job } from 'bullmq';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/**
 * States `jobs-cli clean` accepts: the sets BullMQ 6's `queue.clean` empties by age, `waiting` being
 * its `wait` list. Not `active` (a job without its lock is still a running job to the user:
 * `remove` refuses those) and not `paused` (BullMQ 6 keeps a paused queue's jobs in `wait`).
 */
export const CLEAN_STATES = ['completed', 'failed', 'delayed', 'waiting', 'prioritized'] as const;

/** One of {@link CLEAN_STATES}. */
export type CleanState = (typeof CLEAN_STATES)[number];

/** @throws CliError (usage) naming the states `clean` accepts. */
export function parseCleanState(value: string): CleanState {
  if (value === 'wait') return 'waiting';
  if ((CLEAN_STATES as readonly string[]).includes(value)) return value as CleanState;
  const why = value === 'paused' ? 'BullMQ 6 has no "paused" job state (a paused queue keeps its jobs waiting)' : `clean cannot clean "${value}" jobs`;
  throw new CliError(EXIT_CODES.usage, `${why}: one of ${CLEAN_STATES.join(', ')}`);
}

/**
 * The time `queue.clean` compares with `before` for a job in `state`, as its Lua script does
 * (BullMQ 6.7 `cleanJobsInSet`): finished jobs by `finishedOn`, delayed ones by `processedOn`
 * else `timestamp`, prioritized ones by `timestamp`, waiting ones by the first of `finishedOn`,
 * `processedOn`, `timestamp`. Used by `--dry-run` to list what a clean would remove.
 */
export function cleanTimeOf(job: Job, state: CleanState): number | undefined {
  switch (state) {
    case 'completed':
    case 'failed':
      return job.finishedOn;
    case 'delayed':
      return job.processedOn ?? job.timestamp;
    case 'prioritized':
      return job.timestamp;
    case 'waiting':
      return job.finishedOn ?? job.processedOn ?? job.timestamp;
  }
}
