import type { ExitCode } from './exit-codes';

/**
 * A failure the `jobs-cli` command reports as one line on stderr and an exit code; thrown by
 * commands, caught once in `main.ts`. Anything else thrown is a bug: stack on stderr, exit 1.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
