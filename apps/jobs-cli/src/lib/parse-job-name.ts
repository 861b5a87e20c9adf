import { JOB_CONTRACTS, type JobContract, type JobName } from '@jobs/queue-contracts';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/** Job names a person may enqueue: every contract but the workers' internal ones. */
export const ENQUEUABLE_JOB_NAMES: readonly JobName[] = Object.freeze(
  (Object.keys(JOB_CONTRACTS) as JobName[]).filter((name) => (JOB_CONTRACTS[name] as JobContract).internal !== true),
);

/** @throws CliError (usage) listing the job names `enqueue` accepts. */
export function parseJobName(value: string): JobName {
  if ((ENQUEUABLE_JOB_NAMES as readonly string[]).includes(value)) return value as JobName;
  const why = value in JOB_CONTRACTS ? `${value} is added by the workflow worker itself, not enqueued by hand` : `unknown job name "${value}"`;
  throw new CliError(EXIT_CODES.usage, `${why}: one of ${ENQUEUABLE_JOB_NAMES.join(', ')}`);
}
