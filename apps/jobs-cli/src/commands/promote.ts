import { Command } from 'commander';
import { Job } from 'bullmq';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { EXIT_CODES } from '../lib/exit-codes';
import { settleJobOutcomes, type JobOutcome } from '../lib/job-outcomes';
import { parseQueueName } from '../lib/parse-queue-name';

/**
 * `jobs-cli promote <queue> <jobId…> | --all`: moves delayed jobs to waiting now (BullMQ's
 * `job.promote()`, or `queue.promoteJobs()` for every delayed job with `--all`). A job id that
 * does not exist is exit 3; a job that is not delayed is exit 6 (conflict), nothing done to it.
 */
export function promoteCommand(ctx: CliContext): Command {
  return new Command('promote')
    .description('run delayed jobs now (move them to waiting)')
    .argument('<queue>', 'queue name', parseQueueName)
    .argument('[jobIds...]', 'ids of delayed jobs')
    .option('--all', 'promote every delayed job of the queue')
    .addHelpText('after', '\nExamples:\n  $ jobs promote email 17 18\n  $ jobs promote seo --all')
    .action(async (queueName: ReturnType<typeof parseQueueName>, ids: string[], opts: { all?: boolean }) => {
      const queue = ctx.queue(queueName);
      if ((opts.all === true) === ids.length > 0) throw new CliError(EXIT_CODES.usage, 'promote: give job ids or --all, not both or neither');
      if (opts.all) {
        const delayed = await queue.getDelayedCount();
        await queue.promoteJobs();
        ctx.stdout.write(`promoted ${delayed} delayed job(s) of ${queueName}\n`);
        return;
      }
      const outcomes: JobOutcome[] = [];
      for (const id of ids) {
        const job = await Job.fromId(queue, id);
        if (!job) {
          outcomes.push({ id, ok: false, code: EXIT_CODES.notFound, reason: `no job "${id}" in queue ${queueName}` });
          continue;
        }
        const state = await job.getState();
        if (state !== 'delayed') {
          outcomes.push({ id, ok: false, code: EXIT_CODES.conflict, reason: `is ${state}, not delayed: not promoted` });
          continue;
        }
        try {
          await job.promote();
        } catch (err) {
          // Moved by someone else between the check and the promote: BullMQ refuses it.
          outcomes.push({ id, ok: false, code: EXIT_CODES.conflict, reason: `could not be promoted: ${(err as Error).message}` });
          continue;
        }
        ctx.stdout.write(`promoted ${queueName}/${id}\n`);
        outcomes.push({ id, ok: true });
      }
      settleJobOutcomes(ctx.stderr, 'promoted', outcomes);
    });
}
