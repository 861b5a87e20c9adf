import { ALL_QUEUE_NAMES, type QueueName } from '@jobs/queue-contracts';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';
import { parseQueueName } from './parse-queue-name';

/**
 * The queues a `pause`/`resume` acts on: the one named, or every queue with `--all`.
 * @throws CliError (usage) when neither or both are given, or the name is unknown.
 */
export function queueTargets(command: string, queue: string | undefined, all: boolean | undefined): readonly QueueName[] {
  if (all && queue !== undefined) throw new CliError(EXIT_CODES.usage, `${command}: give a queue or --all, not both`);
  if (all) return ALL_QUEUE_NAMES;
  if (queue === undefined) throw new CliError(EXIT_CODES.usage, `${command}: give a queue (${ALL_QUEUE_NAMES.join(', ')}) or --all`);
  return [parseQueueName(queue)];
}
