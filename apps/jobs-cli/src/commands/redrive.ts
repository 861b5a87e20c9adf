import { Command } from 'commander';
import { ALL_QUEUE_NAMES } from '@jobs/queue-contracts';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { EXIT_CODES } from '../lib/exit-codes';
import { addFailedJobOptions, type FailedJobOptionValues, readFailedJobOptions } from '../lib/failed-jobs/failed-job-options';
import { runBulkRerun } from '../lib/failed-jobs/run-bulk-rerun';
import { parseQueueName } from '../lib/parse-queue-name';

/**
 * `jobs-cli redrive <queue…|--all> [filters] [--dry-run] [--batch-size 500] [--json]`: moves every
 * failed job matching the filters, across the named queues (or all six), back to wait with its
 * attempts reset, in batches of `--batch-size`, with a progress bar on stderr (plain progress
 * lines when stderr is not a terminal) and a summary per queue (selected, moved, skipped, errors).
 *
 * Exit 0 when every selected job was moved or skipped; 1 when some could not be moved or Ctrl-C
 * stopped the run between batches; 3 when no failed job matched; 2 on bad usage.
 */
export function redriveCommand(ctx: CliContext): Command {
  const command = new Command('redrive')
    .description('re-run every failed job matching the filters in the given queues (or --all), in batches, with progress')
    .argument('[queues...]', 'queue names')
    .option('--all', 'every queue');
  return addFailedJobOptions(command).action(async (queueArgs: string[], values: FailedJobOptionValues & { all?: boolean }) => {
    if (values.all && queueArgs.length > 0) throw new CliError(EXIT_CODES.usage, 'give queue names or --all, not both');
    if (!values.all && queueArgs.length === 0) throw new CliError(EXIT_CODES.usage, `give at least one queue (${ALL_QUEUE_NAMES.join(', ')}) or --all`);
    const queues = values.all ? [...ALL_QUEUE_NAMES] : [...new Set(queueArgs.map(parseQueueName))];
    await runBulkRerun(ctx, { action: 'redrive', queues, options: readFailedJobOptions(values, ctx.now()) });
  });
}
