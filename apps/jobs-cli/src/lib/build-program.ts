import { Command } from 'commander';
import type { CliContext } from './cli-context';
import { EXIT_CODES } from './exit-codes';

/** A command factory: every command of the CLI is `(ctx) => Command`. */
export type CommandFactory = (ctx: CliContext) => Command;

/** Where commander writes help and its own error lines. */
export interface ProgramOutput {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const EXAMPLES = `
Examples:
  $ jobs-cli stats                                  counts of every queue
  $ jobs-cli stats --watch                          ... refreshed every 2 s until Ctrl-C
  $ jobs-cli list email failed --limit 50           failed jobs of the email queue
  $ jobs-cli show 1234 --json                       one job, secrets masked
  $ jobs-cli enqueue SEO_AUDIT --data audit.json    add a job, validated by its contract
  $ jobs-cli drain seo --yes                        remove every waiting job of a queue
  $ jobs-cli --redis-url redis://10.0.0.5:6379 --prefix staging stats

Redis: --redis-url, else REDIS_URL, else REDIS_HOST/REDIS_PORT/REDIS_USERNAME/REDIS_PASSWORD/
REDIS_TLS/REDIS_DB (default 127.0.0.1:6379); a Redis Cluster: REDIS_CLUSTER_NODES=host:port,...
instead. Key prefix: --prefix, else BULLMQ_PREFIX (default bull). A .env file in the current
directory is read first; the environment wins over it.

Exit codes: ${Object.entries(EXIT_CODES)
  .map(([name, code]) => `${code} ${name}`)
  .join(', ')}.`;

/**
 * The `jobs-cli` program: name, version, help with examples, the global `--redis-url` and
 * `--prefix` flags, and one subcommand per factory. Every command, including those added from
 * elsewhere (`addCommand` copies no settings), throws instead of exiting on usage errors
 * (commander's `exitOverride`) and writes to `output`.
 */
export function buildProgram(ctx: CliContext, version: string, factories: readonly CommandFactory[], output: ProgramOutput): Command {
  const program = new Command('jobs-cli')
    .description('Operate the BullMQ job queues: counts, jobs, retries, clean-up, enqueue.')
    .version(version, '-V, --version')
    .option('--redis-url <url>', 'Redis to use (redis:// or rediss://), over REDIS_URL')
    .option('--prefix <prefix>', 'BullMQ key prefix, over BULLMQ_PREFIX (default bull)')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run with --help for usage)');
  for (const factory of factories) program.addCommand(factory(ctx));
  configure(program, output);
  return program;
}

function configure(command: Command, output: ProgramOutput): void {
  command.exitOverride();
  command.configureOutput({ writeOut: (s) => output.stdout.write(s), writeErr: (s) => output.stderr.write(s) });
  for (const sub of command.commands) configure(sub, output);
}
