import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { EXIT_CODES } from '../lib/exit-codes';
import { parseQueueName } from '../lib/parse-queue-name';
import { writeJson } from '../lib/write-json';

/**
 * `jobs-cli drain <queue> [--delayed] [--yes] [--json]`: removes every waiting job of a queue (BullMQ's
 * `queue.drain`: the wait list and prioritized jobs; with `--delayed` the delayed ones too;
 * active, completed and failed jobs stay). Asks "drain <queue>: remove N waiting jobs? [y/N]"
 * on a terminal; without one and without `--yes` it is exit 5 and nothing is removed. With
 * nothing to remove it asks nothing and exits 0.
 */
export function drainCommand(ctx: CliContext): Command {
  return new Command('drain')
    .description('remove every waiting (and with --delayed, delayed) job of a queue')
    .argument('<queue>', 'queue name', parseQueueName)
    .option('--delayed', 'remove delayed jobs too')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli drain email\n  $ jobs-cli drain seo --delayed --yes')
    .action(async (queueName: ReturnType<typeof parseQueueName>, opts: { delayed?: boolean; yes?: boolean; json?: boolean }) => {
      const queue = ctx.queue(queueName);
      const count = async () => {
        const c = await queue.getJobCounts('wait', 'prioritized', 'delayed');
        return { waiting: (c['wait'] ?? 0) + (c['prioritized'] ?? 0), delayed: opts.delayed ? (c['delayed'] ?? 0) : 0 };
      };
      const before = await count();
      if (before.waiting + before.delayed === 0) {
        if (opts.json) writeJson(ctx.stdout, { queue: queueName, removed: before, remaining: before });
        else ctx.stdout.write(`drained ${queueName}: nothing to remove\n`);
        return;
      }
      const what = `${before.waiting} waiting job(s)${opts.delayed ? ` and ${before.delayed} delayed job(s)` : ''}`;
      if (!opts.yes && !(await ctx.confirm(`drain ${queueName}: remove ${what}? [y/N]`))) {
        throw new CliError(EXIT_CODES.aborted, `drain ${queueName}: not confirmed${ctx.interactive ? '' : ' (no terminal to ask: pass --yes)'}; nothing removed`);
      }
      // One Lua script; on a large queue it may outlast the command timeout while Redis carries on.
      await ctx.withoutCommandTimeout(() => queue.drain(opts.delayed === true));
      const after = await count();
      // Jobs added while draining may remain; report what went.
      const removed = { waiting: Math.max(0, before.waiting - after.waiting), delayed: Math.max(0, before.delayed - after.delayed) };
      if (opts.json) writeJson(ctx.stdout, { queue: queueName, removed, remaining: after });
      else ctx.stdout.write(`drained ${queueName}: removed ${removed.waiting} waiting${opts.delayed ? ` and ${removed.delayed} delayed` : ''} job(s)\n`);
    });
}
