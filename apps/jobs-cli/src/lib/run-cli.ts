import { Command } from 'commander';
import { registerSecrets, secretValuesFromEnv } from '@jobs/worker-kit';
import { buildProgram, type CommandFactory } from './build-program';
import { createCliContext, type CliIo } from './create-cli-context';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { loadCliConfig, type CliConfig } from './load-cli-config';
import { reportFailure } from './report-failure';

/** What {@link runCli} needs from the process. */
export interface RunCliOptions extends CliIo {
  /** `process.argv` shape: node, script, then the arguments. */
  readonly argv: readonly string[];
  /** The environment (after `.env` was loaded). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  readonly commands: readonly CommandFactory[];
}

/**
 * Runs one `jobs-cli` invocation: registers the environment's secret values for masking, builds the
 * program and its context, runs the command, closes every connection it opened (also on
 * failure), and returns the exit code (see `reportFailure`). Never calls `process.exit`.
 */
export async function runCli(options: RunCliOptions): Promise<ExitCode> {
  // Masks REDIS_PASSWORD, API keys … wherever a command prints them (job data, errors).
  registerSecrets(secretValuesFromEnv(options.env));
  let program: Command | undefined;
  let config: CliConfig | undefined;
  const session = createCliContext(() => (config ??= loadCliConfig(program?.opts() ?? {}, options.env)), options);
  try {
    program = buildProgram(session.context, options.version, options.commands, options);
    await program.parseAsync([...options.argv], { from: 'node' });
    return EXIT_CODES.ok;
  } catch (err) {
    return reportFailure(err, options.stderr, config?.redisDescription);
  } finally {
    await session.close();
  }
}
