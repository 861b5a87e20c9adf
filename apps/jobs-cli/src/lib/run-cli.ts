import { Command } from 'commander';
import { clusterSeedRefusal, registerSecrets, secretValuesFromEnv } from '@jobs/worker-kit';
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
    return reportFailure(await withSeedRefusal(err, config), options.stderr, config?.redisDescription);
  } finally {
    await session.close();
  }
}

/** How long the CLI asks the seeds why they refused (`clusterSeedRefusal`), in ms. */
const SEED_CHECK_TIMEOUT_MS = 3000;

/**
 * A cluster that no seed let in fails with ioredis's `ClusterAllFailedError` (or, for a command
 * already waiting, "None of startup nodes is available"), whose last node error is only
 * "Connection is closed." when the seeds refused TLS: ioredis drops the socket's own error.
 * Then (and only then: a refused or timed-out connection already says what happened) the seeds
 * are asked once more on plain connections, for at most {@link SEED_CHECK_TIMEOUT_MS}
 * (`clusterSeedRefusal`); when one says why (a certificate refusal naming the REDIS_TLS_*
 * setting, WRONGPASS, a standalone Redis), that becomes the last node error. Any other error is
 * returned as it is.
 */
async function withSeedRefusal(err: unknown, config: CliConfig | undefined): Promise<unknown> {
  if (!(err instanceof Error) || !config?.redis.clusterNodes) return err;
  const gaveUp = err.name === 'ClusterAllFailedError' || /^None of startup nodes is available/.test(err.message);
  const lastNodeError: unknown = (err as { lastNodeError?: unknown }).lastNodeError;
  const saysWhy = lastNodeError instanceof Error && lastNodeError.message !== 'Connection is closed.';
  if (!gaveUp || saysWhy) return err;
  const refusal = await clusterSeedRefusal(config.redis, { timeoutMs: SEED_CHECK_TIMEOUT_MS });
  return refusal ? Object.assign(new Error(err.message), { name: 'ClusterAllFailedError', lastNodeError: refusal }) : err;
}
