import type { JobType } from 'bullmq';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/** The job states `jobs-cli list` reads, in BullMQ 6's terms (`waiting` is BullMQ's `wait` list). */
export const LIST_STATES = ['waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed', 'completed'] as const;

/** One of {@link LIST_STATES}. */
export type ListState = (typeof LIST_STATES)[number];

/**
 * Checks a `<state>` argument of `jobs-cli list` and returns BullMQ's job type for it.
 * @throws CliError (usage) naming the valid states; for `paused`, saying that BullMQ 6 keeps the
 *   jobs of a paused queue `waiting` (the queue is paused, not its jobs).
 */
export function parseListState(value: string): { state: ListState; type: JobType } {
  if ((LIST_STATES as readonly string[]).includes(value)) {
    const state = value as ListState;
    return { state, type: state === 'waiting' ? 'wait' : state };
  }
  const why = value === 'paused' ? 'BullMQ 6 has no "paused" job state (a paused queue keeps its jobs waiting; see `jobs-cli stats`)' : `unknown state "${value}"`;
  throw new CliError(EXIT_CODES.usage, `${why}: one of ${LIST_STATES.join(', ')}`);
}
