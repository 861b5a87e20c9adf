import { Command } from 'commander';
import type { CliContext } from '../lib/cli-context';
import { queueTargets } from '../lib/queue-targets';

/**
 * `jobs-cli pause <queue> | --all`: stops workers from taking new jobs of the queue (BullMQ's
 * `queue.pause()`, for every worker at once); running jobs finish, waiting ones stay waiting.
 * Doing it twice is harmless.
 */
export function pauseCommand(ctx: CliContext): Command {
  return new Command('pause')
    .description('stop workers taking jobs of a queue (all workers)')
    .argument('[queue]', 'queue name')
    .option('--all', 'pause every queue')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli pause email\n  $ jobs-cli pause --all')
    .action(async (queue: string | undefined, opts: { all?: boolean }) => {
      for (const name of queueTargets('pause', queue, opts.all)) {
        await ctx.queue(name).pause();
        ctx.stdout.write(`paused ${name}\n`);
      }
    });
}
