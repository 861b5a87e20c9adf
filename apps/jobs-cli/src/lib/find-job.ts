import { Job } from 'bullmq';
import { ALL_QUEUE_NAMES, type QueueName } from '@jobs/queue-contracts';
import type { CliContext } from './cli-context';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/** A job and the queue it was found in. */
export interface FoundJob {
  readonly queueName: QueueName;
  readonly job: Job;
}

/**
 * Finds job `jobId` in `queueName`, or in every queue when none is given (job ids are unique per
 * queue only: a custom id may be taken in two queues).
 * @throws CliError: notFound when no queue holds it; usage when several do, listing them so the
 *   user can pass `--queue`.
 */
export async function findJob(ctx: CliContext, jobId: string, queueName?: QueueName): Promise<FoundJob> {
  const names = queueName ? [queueName] : ALL_QUEUE_NAMES;
  const found = (await Promise.all(names.map(async (name) => ({ queueName: name, job: await Job.fromId(ctx.queue(name), jobId) })))).filter(
    (f): f is FoundJob => f.job !== undefined,
  );
  const [only, ...others] = found;
  if (only && others.length === 0) return only;
  if (found.length === 0) {
    throw new CliError(EXIT_CODES.notFound, queueName ? `no job "${jobId}" in queue ${queueName}` : `no job "${jobId}" in any queue (${ALL_QUEUE_NAMES.join(', ')})`);
  }
  throw new CliError(EXIT_CODES.usage, `job "${jobId}" is in several queues (${found.map((f) => f.queueName).join(', ')}): pass --queue <queue>`);
}
