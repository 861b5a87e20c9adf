import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { EXIT_CODES } from '../lib/exit-codes';
import { addFailedJobOptions, type FailedJobOptionValues, readFailedJobOptions } from '../lib/failed-jobs/failed-job-options';
import { runBulkRerun } from '../lib/failed-jobs/run-bulk-rerun';
import { parseQueueName } from '../lib/parse-queue-name';

/**
 * `jobs-cli retry <queue> [jobId…] [filters] [--dry-run] [--json]`: moves failed jobs of one queue
 * back to wait with their attempts reset (BullMQ `job.retry('failed', { resetAttemptsMade,
 * resetAttemptsStarted })`, see `rerunFailedJobs`).
 *
 * - With job ids: those jobs. An id with no job → exit 3, nothing moved; a job that is not
 *   failed is counted as skipped; exit 6 when none of them was failed. Filters cannot be combined
 *   with ids (exit 2).
 * - Without ids: the failed jobs that match `--failed-since`, `--failed-before`, `--name`
 *   (repeatable), `--error-matches`, `--limit` (all failed jobs of the queue when none is given);
 *   exit 3 when none matches.
 * - `--dry-run` changes nothing and lists what would be re-run; `--json` prints the report as JSON.
 * - Exit 1 when some jobs could not be moved or Ctrl-C stopped the run between batches.
 */
export function retryCommand(ctx: CliContext): Command {
  const command = new Command('retry')
    .description('re-run failed jobs of a queue: the given ids, or those matching the filters')
    .argument('<queue>', 'queue name')
    .argument('[jobIds...]', 'ids of failed jobs (default: every failed job matching the filters)');
  return addFailedJobOptions(command).action(async (queueArg: string, jobIds: string[], values: FailedJobOptionValues) => {
    const queue = parseQueueName(queueArg);
    const options = readFailedJobOptions(values, ctx.now());
    if (jobIds.length > 0 && options.filtered) {
      throw new CliError(EXIT_CODES.usage, 'give either job ids or filters (--failed-since, --failed-before, --name, --error-matches, --limit), not both');
    }
    await runBulkRerun(ctx, { action: 'retry', queues: [queue], options, ids: jobIds.length > 0 ? jobIds : undefined });
  });
}
