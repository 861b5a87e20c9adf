import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { queueTargets } from '../lib/queue-targets';

/**
 * `jobs-cli resume <queue> | --all`: lets workers take jobs of a paused queue again (BullMQ's `queue.resume()`).
 * Doing it twice is harmless.
 */
export function resumeCommand(ctx: CliContext): Command {
  return new Command('resume')
    .description('let workers take jobs of a paused queue again')
    .argument('[queue]', 'queue name')
    .option('--all', 'resume every queue')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli resume email\n  $ jobs-cli resume --all')
    .action(async (queue: string | undefined, opts: { all?: boolean }) => {
      for (const name of queueTargets('resume', queue, opts.all)) {
        await ctx.queue(name).resume();
        ctx.stdout.write(`resumed ${name}\n`);
      }
    });
}
