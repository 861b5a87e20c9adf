import { ALL_QUEUE_NAMES, readQueueStats, type QueueName, type QueueStats } from '@jobs/queue-contracts';
import type { CliContext } from './cli-context';

/**
 * `getAllQueueStats`'s object through the CLI's connection: every queue of `ALL_QUEUE_NAMES`,
 * in that order, keyed by name, read with the contracts' own `readQueueStats`.
 */
export async function readAllQueueStats(ctx: CliContext): Promise<Record<QueueName, QueueStats>> {
  const entries = await Promise.all(ALL_QUEUE_NAMES.map(async (name) => [name, await readQueueStats(ctx.queue(name))] as const));
  return Object.fromEntries(entries) as Record<QueueName, QueueStats>;
}
