import { ALL_QUEUE_NAMES, type QueueName } from '@jobs/queue-contracts';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/**
 * Checks a `<queue>` argument against the contracts' queue names.
 * @throws CliError (usage) naming the valid queues.
 */
export function parseQueueName(value: string): QueueName {
  if ((ALL_QUEUE_NAMES as readonly string[]).includes(value)) return value as QueueName;
  throw new CliError(EXIT_CODES.usage, `unknown queue "${value}": one of ${ALL_QUEUE_NAMES.join(', ')}`);
}
