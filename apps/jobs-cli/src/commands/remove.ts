import { Command } from 'commander';
import { Job } from 'bullmq';
import type { CliContext } from '../lib/cli-context';
import { EXIT_CODES } from '../lib/exit-codes';
import { settleJobOutcomes, type JobOutcome } from '../lib/job-outcomes';
import { parseQueueName } from '../lib/parse-queue-name';

/**
 * `jobs-cli remove <queue> <jobId…>`: deletes jobs (BullMQ's `queue.remove`, which also removes
 * their children). A missing id is exit 3; an active job, or one whose lock a worker holds
 * (BullMQ returns 0), is exit 6 and stays.
 */
export function removeCommand(ctx: CliContext): Command {
  return new Command('remove')
    .description('delete jobs (not active ones)')
    .argument('<queue>', 'queue name', parseQueueName)
    .argument('<jobIds...>', 'job ids')
    .addHelpText('after', '\nExample:\n  $ jobs-cli remove email 17 18')
    .action(async (queueName: ReturnType<typeof parseQueueName>, ids: string[]) => {
      const queue = ctx.queue(queueName);
      const outcomes: JobOutcome[] = [];
      for (const id of ids) {
        const job = await Job.fromId(queue, id);
        if (!job) {
          outcomes.push({ id, ok: false, code: EXIT_CODES.notFound, reason: `no job "${id}" in queue ${queueName}` });
          continue;
        }
        // A running job is left to its worker: removing it under the worker loses its outcome.
        if ((await job.getState()) === 'active' || (await queue.remove(id)) === 0) {
          outcomes.push({ id, ok: false, code: EXIT_CODES.conflict, reason: 'is active (locked by a worker): not removed' });
          continue;
        }
        ctx.stdout.write(`removed ${queueName}/${id}\n`);
        outcomes.push({ id, ok: true });
      }
      settleJobOutcomes(ctx.stderr, 'removed', outcomes);
    });
}
