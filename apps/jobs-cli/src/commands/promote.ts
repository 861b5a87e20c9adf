import { Command } from 'commander';
import { Job } from 'bullmq';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { EXIT_CODES } from '../lib/exit-codes';
import { settleJobOutcomes, type JobOutcome } from '../lib/job-outcomes';
import { parseQueueName } from '../lib/parse-queue-name';
import { promoteDelayedJobs, SCHEDULER_JOB_ID_PREFIX } from '../lib/promote-delayed-jobs';

/**
 * `jobs-cli promote <queue> <jobId…> | --all [--yes]`: moves delayed jobs to waiting now, each
 * with BullMQ's `job.promote()` (a job with a priority goes to prioritized and keeps it). A job
 * id that does not exist is exit 3; a job that is not delayed is exit 6 (conflict), nothing done
 * to it. `--all` promotes every delayed job except job-scheduler ones (`repeat:` ids: promoting
 * them would run a scheduled occurrence early; it says how many it left) and asks first like
 * `drain`: on a terminal "[y/N]", without one `--yes` is required (else exit 5, nothing promoted).
 */
export function promoteCommand(ctx: CliContext): Command {
  return new Command('promote')
    .description('run delayed jobs now (move them to waiting)')
    .argument('<queue>', 'queue name', parseQueueName)
    .argument('[jobIds...]', 'ids of delayed jobs')
    .option('--all', 'promote every delayed job of the queue (not job-scheduler jobs); asks first')
    .option('--yes', 'with --all: do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli promote email 17 18\n  $ jobs-cli promote seo --all --yes')
    .action(async (queueName: ReturnType<typeof parseQueueName>, ids: string[], opts: { all?: boolean; yes?: boolean }) => {
      const queue = ctx.queue(queueName);
      if ((opts.all === true) === ids.length > 0) throw new CliError(EXIT_CODES.usage, 'promote: give job ids or --all, not both or neither');
      if (opts.all) {
        const delayed = await queue.getRanges(['delayed'], 0, -1, true);
        const ids = delayed.filter((id) => !id.startsWith(SCHEDULER_JOB_ID_PREFIX));
        const schedulers = delayed.length - ids.length;
        const left = schedulers > 0 ? `; left ${schedulers} job-scheduler job(s) (${SCHEDULER_JOB_ID_PREFIX}…) at their scheduled time` : '';
        if (ids.length === 0) {
          ctx.stdout.write(`promoted 0 delayed job(s) of ${queueName}${left}\n`);
          return;
        }
        if (!opts.yes && !(await ctx.confirm(`promote ${queueName}: run ${ids.length} delayed job(s) now? [y/N]`))) {
          throw new CliError(EXIT_CODES.aborted, `promote ${queueName}: not confirmed${ctx.interactive ? '' : ' (no terminal to ask: pass --yes)'}; nothing promoted`);
        }
        const { promoted, moved } = await promoteDelayedJobs(queue, ids);
        const gone = moved.length > 0 ? `; ${moved.length} were no longer delayed` : '';
        ctx.stdout.write(`promoted ${promoted.length} delayed job(s) of ${queueName}${gone}${left}\n`);
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
