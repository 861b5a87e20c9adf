import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { CLEAN_STATES, parseCleanState, type CleanState } from '../lib/clean-state';
import { EXIT_CODES } from '../lib/exit-codes';
import { findCleanCandidates } from '../lib/find-clean-candidates';
import { removeCleanCandidates } from '../lib/remove-clean-candidates';
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
 * deletes the jobs of a state older than an age (the times BullMQ's `queue.clean` compares:
 * finished jobs by when they finished, others by when they were added or last tried). The jobs
 * are listed first ({@link findCleanCandidates}) and exactly the listed ones are removed
 * ({@link removeCleanCandidates}), so the dry run and the confirmation show what goes. Asks first
 * on a terminal; without one, `--yes` is required (else exit 5, nothing removed). `--dry-run`
 * counts and lists what would go and changes nothing. Prints how many were removed, and how many
 * listed jobs were left because a worker held them or they had left the state meanwhile.
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
    .addHelpText('after', '\nExamples:\n  $ jobs-cli clean email completed --older-than 1d --dry-run\n  $ jobs-cli clean seo failed --older-than 2026-11-01T00:00:00Z --yes')
    .action(async (queueName: ReturnType<typeof parseQueueName>, state: CleanState, opts: CleanOptions) => {
      const now = ctx.now();
      const before = parsePointInTime('--older-than', opts.olderThan, now);
      const queue = ctx.queue(queueName);
      const candidates = await findCleanCandidates(queue, state, before, opts.limit);
      const what = `${state} job(s) of ${queueName} older than ${opts.olderThan} (before ${new Date(before).toISOString()})`;
      const report = (count: number, ids: string[], dryRun: boolean, left?: { locked: string[]; moved: string[] }) => {
        if (opts.json) writeJson(ctx.stdout, { queue: queueName, state, before: new Date(before).toISOString(), dryRun, count, ids, ...left });
        else if (dryRun) {
          const shown = ids.slice(0, SHOWN_IDS).join(', ') + (ids.length > SHOWN_IDS ? `, … (${ids.length - SHOWN_IDS} more; --json lists all)` : '');
          ctx.stdout.write(`dry run: would remove ${count} ${what}${count > 0 ? `: ${shown}` : ''}\n`);
        } else {
          const kept = left && left.locked.length + left.moved.length > 0
            ? `; left ${left.locked.length} held by a worker and ${left.moved.length} no longer ${state}`
            : '';
          ctx.stdout.write(`removed ${count} ${what}${kept}\n`);
        }
      };
      if (opts.dryRun) return report(candidates.length, candidates, true);
      if (candidates.length === 0) return report(0, [], false);
      if (!opts.yes && !(await ctx.confirm(`clean ${queueName}: remove ${candidates.length} ${what}? [y/N]`))) {
        throw new CliError(EXIT_CODES.aborted, `clean ${queueName}: not confirmed${ctx.interactive ? '' : ' (no terminal to ask: pass --yes)'}; nothing removed`);
      }
      const { removed, locked, moved } = await removeCleanCandidates(queue, state, candidates);
      report(removed.length, removed, false, { locked, moved });
    });
}
