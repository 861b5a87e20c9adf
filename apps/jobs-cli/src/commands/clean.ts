import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { CLEAN_STATES, parseCleanState, type CleanState } from '../lib/clean-state';
import { EXIT_CODES } from '../lib/exit-codes';
import { findCleanCandidates } from '../lib/find-clean-candidates';
import { parseIntegerOption } from '../lib/parse-integer-option';
import { parsePointInTime } from '../lib/parse-point-in-time';
import { parseQueueName } from '../lib/parse-queue-name';
import { writeJson } from '../lib/write-json';

/** Ids listed by a human-readable dry run; `--json` lists them all. */
const SHOWN_IDS = 20;

interface CleanOptions {
  olderThan: string;
  limit: number;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

/**
 * `jobs-cli clean <queue> <state> --older-than <age|ISO> [--limit N] [--dry-run] [--yes] [--json]`:
 * deletes the jobs of a state older than an age (BullMQ's `queue.clean(grace, limit, state)`;
 * finished jobs by when they finished, others by when they were added or last tried). Asks first
 * on a terminal; without one, `--yes` is required (else exit 5, nothing removed). `--dry-run`
 * counts and lists what would go and changes nothing. Prints how many were removed.
 */
export function cleanCommand(ctx: CliContext): Command {
  return new Command('clean')
    .description(`delete jobs of a state older than an age (${CLEAN_STATES.join(', ')})`)
    .argument('<queue>', 'queue name', parseQueueName)
    .argument('<state>', 'job state', parseCleanState)
    .requiredOption('--older-than <age>', 'age (90s, 30m, 2h, 7d) or ISO date-time')
    .option('--limit <n>', 'remove at most n jobs (0: no limit)', parseIntegerOption('--limit', 0), 0)
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ jobs clean email completed --older-than 1d --dry-run\n  $ jobs clean seo failed --older-than 2026-11-01T00:00:00Z --yes')
    .action(async (queueName: ReturnType<typeof parseQueueName>, state: CleanState, opts: CleanOptions) => {
      const now = ctx.now();
      const before = parsePointInTime('--older-than', opts.olderThan, now);
      const queue = ctx.queue(queueName);
      const candidates = await findCleanCandidates(queue, state, before, opts.limit);
      const what = `${state} job(s) of ${queueName} older than ${opts.olderThan} (before ${new Date(before).toISOString()})`;
      const report = (count: number, ids: string[], dryRun: boolean) => {
        if (opts.json) writeJson(ctx.stdout, { queue: queueName, state, before: new Date(before).toISOString(), dryRun, count, ids });
        else if (dryRun) {
          const shown = ids.slice(0, SHOWN_IDS).join(', ') + (ids.length > SHOWN_IDS ? `, … (${ids.length - SHOWN_IDS} more; --json lists all)` : '');
          ctx.stdout.write(`dry run: would remove ${count} ${what}${count > 0 ? `: ${shown}` : ''}\n`);
        } else ctx.stdout.write(`removed ${count} ${what}\n`);
      };
      if (opts.dryRun) return report(candidates.length, candidates, true);
      if (candidates.length === 0) return report(0, [], false);
      if (!opts.yes && !(await ctx.confirm(`clean ${queueName}: remove ${candidates.length} ${what}? [y/N]`))) {
        throw new CliError(EXIT_CODES.aborted, `clean ${queueName}: not confirmed${ctx.interactive ? '' : ' (no terminal to ask: pass --yes)'}; nothing removed`);
      }
      // BullMQ measures the grace from its own clock; the same instant as the dry count.
      const removed = await queue.clean(Math.max(0, Date.now() - before), opts.limit, state === 'waiting' ? 'wait' : state);
      report(removed.length, removed, false);
    });
}
