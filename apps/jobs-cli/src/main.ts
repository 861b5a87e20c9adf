// Entry point of the `jobs-cli` CLI (`npx jobs-cli …`, apps/jobs-cli/bin/jobs-cli.cjs): loads .env, wires
// the commands, runs one, exits with its code. The only file that reads process.env or exits.
import { loadDotEnv } from '@jobs/worker-kit';
import { cleanCommand } from './commands/clean';
import { drainCommand } from './commands/drain';
import { enqueueCommand } from './commands/enqueue';
import { listCommand } from './commands/list';
import { pauseCommand } from './commands/pause';
import { promoteCommand } from './commands/promote';
import { redriveCommand } from './commands/redrive';
import { removeCommand } from './commands/remove';
import { resumeCommand } from './commands/resume';
import { retryCommand } from './commands/retry';
import { showCommand } from './commands/show';
import { statsCommand } from './commands/stats';
import { CLI_VERSION } from './lib/cli-version';
import { EXIT_CODES } from './lib/exit-codes';
import { runCli } from './lib/run-cli';

/** After the first Ctrl-C, how long a command may take to stop by itself, in ms. */
const INTERRUPT_GRACE_MS = 2000;
/** Exit code after an interrupt that did not end the command (128 + SIGINT, the shell's convention). */
const INTERRUPTED_EXIT = 130;

/**
 * A reader that went away (`jobs-cli resume --all | head -1`) makes the next write to that pipe
 * fail with EPIPE, emitted as an 'error' that, unheard, would kill the process midway through
 * the work (queues left paused). The output is lost either way; the work and its exit code are
 * not: the command goes on, writes to the closed stream are dropped.
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

async function main(): Promise<void> {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  loadDotEnv();
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(INTERRUPTED_EXIT);
    interrupt.abort();
    setTimeout(() => process.exit(INTERRUPTED_EXIT), INTERRUPT_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli({
    argv: process.argv,
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: interrupt.signal,
    version: CLI_VERSION,
    commands: [statsCommand, listCommand, showCommand, retryCommand, redriveCommand, promoteCommand, removeCommand, cleanCommand, pauseCommand, resumeCommand, enqueueCommand, drainCommand],
  });
  process.exitCode = code;
  // Everything was closed; should a library still hold a handle, do not hang on it.
  setTimeout(() => process.exit(code), 1000).unref();
}

main().catch((err: unknown) => {
  process.stderr.write(`jobs-cli: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(EXIT_CODES.partialFailure);
});
