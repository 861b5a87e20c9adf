import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { findJob } from '../lib/find-job';
import { formatJobDetails } from '../lib/format-job-details';
import { toJobDetails } from '../lib/job-details';
import { parseQueueName } from '../lib/parse-queue-name';
import { writeJson } from '../lib/write-json';

/**
 * `jobs-cli show <jobId> [--queue <q>] [--json]`: one job in full (state, attempts, times, data,
 * options, progress, result, failure reason, stack traces, logs), secrets masked, looked up in
 * every queue unless `--queue` is given. Exit 3 when no queue holds it, 2 when several do.
 */
export function showCommand(ctx: CliContext): Command {
  return new Command('show')
    .description('show one job: data, progress, attempts, failure reason, stack, logs (secrets masked)')
    .argument('<jobId>', 'job id')
    .option('--queue <queue>', 'the queue to look in (default: every queue)', parseQueueName)
    .option('--json', 'print the job as JSON')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli show 42 --queue email\n  $ jobs-cli show sync-acc_123 --json')
    .action(async (jobId: string, opts: { queue?: ReturnType<typeof parseQueueName>; json?: boolean }) => {
      const { queueName, job } = await findJob(ctx, jobId, opts.queue);
      const queue = ctx.queue(queueName);
      const [state, { logs }] = await Promise.all([job.getState(), queue.getJobLogs(jobId, 0, -1, true)]);
      const details = toJobDetails(job, queueName, state, logs);
      if (opts.json) writeJson(ctx.stdout, details);
      else ctx.stdout.write(formatJobDetails(details, ctx.now()));
    });
}
