import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { formatJobsTable } from '../lib/format-jobs-table';
import { LIST_STATES, parseListState } from '../lib/job-list-state';
import { parseIntegerOption } from '../lib/parse-integer-option';
import { parseQueueName } from '../lib/parse-queue-name';
import { readJobSummaries } from '../lib/read-job-summaries';
import { writeJson } from '../lib/write-json';

/** Most jobs one `list` reads (a page; use --offset for the next). */
export const MAX_LIST_LIMIT = 1000;

/**
 * `jobs-cli list <queue> <state> [--limit 20] [--offset 0] [--json]`: one page of the jobs of a
 * queue in a state (only the fields shown are read: `readJobSummaries`), as a table, or with `--json` an array of
 * `JobSummary` (no job data: `jobs-cli show` prints it, masked). The total in that state goes to
 * stderr. States: waiting, prioritized, waiting-children, active, delayed, failed, completed.
 */
export function listCommand(ctx: CliContext): Command {
  return new Command('list')
    .description(`list jobs of a queue in a state (${LIST_STATES.join(', ')})`)
    .argument('<queue>', 'queue name', parseQueueName)
    .argument('<state>', 'job state', parseListState)
    .option('--limit <n>', `jobs to show (1-${MAX_LIST_LIMIT})`, parseIntegerOption('--limit', 1, MAX_LIST_LIMIT), 20)
    .option('--offset <n>', 'jobs to skip', parseIntegerOption('--offset', 0), 0)
    .option('--json', 'print the jobs as a JSON array')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli list email failed\n  $ jobs-cli list seo delayed --limit 50 --offset 50 --json')
    .action(async (queueName: ReturnType<typeof parseQueueName>, parsed: ReturnType<typeof parseListState>, opts: { limit: number; offset: number; json?: boolean }) => {
      const queue = ctx.queue(queueName);
      const [summaries, total] = await Promise.all([readJobSummaries(queue, parsed.type, opts.offset, opts.offset + opts.limit - 1), queue.getJobCountByTypes(parsed.type)]);
      if (opts.json) {
        writeJson(ctx.stdout, summaries);
      } else {
        if (summaries.length > 0) ctx.stdout.write(`${formatJobsTable(summaries, parsed.state, ctx.now())}\n`);
        const shown = summaries.length === 0 ? 'none shown' : `showing ${opts.offset + 1}-${opts.offset + summaries.length}`;
        ctx.stderr.write(`${total} ${parsed.state} job(s) in ${queueName}; ${shown}\n`);
      }
    });
}
