import { CommanderError } from 'commander';
import { QueueUnavailableError, isRedisUnavailableError } from '@jobs/queue-contracts';
import { redactSecrets } from '@jobs/worker-kit';
import { CliError } from './cli-error';
import { clusterUnavailableReason } from './cluster-unavailable-reason';
import { EXIT_CODES, type ExitCode } from './exit-codes';

/**
 * Turns what a command threw into the process's exit code, writing what the user needs on
 * `stderr` (secrets masked):
 * - `CliError` → its code, one line `jobs-cli: <message>`;
 * - commander's own errors (unknown option, missing argument …; commander already printed the
 *   message) → 2; `--help` and `--version` → 0;
 * - Redis unreachable, refusing, or not answering (`QueueUnavailableError`,
 *   `isRedisUnavailableError`: refused, timed out, closed, not a Redis server; a Redis Cluster
 *   whose nodes cannot be reached or used, `clusterUnavailableReason`) → 4, one line naming
 *   the Redis (no credentials);
 * - anything else, a bug → its stack, 1.
 * @param redisDescription - `redis://host:port/db` of the Redis in use, when known.
 */
export function reportFailure(err: unknown, stderr: NodeJS.WritableStream, redisDescription: string | undefined): ExitCode {
  if (err instanceof CliError) {
    stderr.write(`jobs-cli: ${redactSecrets(err.message)}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) {
    // `--help` and `--version` exit 0; `jobs-cli` without a command shows help and exits 1 in commander.
    return err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (err instanceof QueueUnavailableError) {
    stderr.write(`jobs-cli: ${redactSecrets(err.message)}\n`);
    return EXIT_CODES.redisUnavailable;
  }
  const clusterReason = clusterUnavailableReason(err);
  if (clusterReason !== undefined) {
    stderr.write(`jobs-cli: Redis ${redisDescription ? `at ${redisDescription} ` : ''}is unavailable: ${redactSecrets(clusterReason)}\n`);
    return EXIT_CODES.redisUnavailable;
  }
  if (isRedisUnavailableError(err)) {
    const where = redisDescription ? `Redis at ${redisDescription}` : 'Redis';
    // ioredis's parser met bytes that are not RESP: something else listens there (its message
    // adds "Please report this.", meant for a Redis that spoke wrongly, and its buffer is that
    // server's answer: neither is shown).
    if ((err as Error).name === 'ParserError') {
      const address = redisDescription ?? 'the configured Redis address';
      stderr.write(`jobs-cli: ${address} is not a Redis server (protocol error); check REDIS_URL / REDIS_HOST / REDIS_PORT\n`);
      return EXIT_CODES.redisUnavailable;
    }
    stderr.write(`jobs-cli: ${where} is unavailable: ${redactSecrets((err as Error).message)}\n`);
    return EXIT_CODES.redisUnavailable;
  }
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  stderr.write(`jobs-cli: unexpected error (a bug; please report it):\n${redactSecrets(text)}\n`);
  return EXIT_CODES.partialFailure;
}
