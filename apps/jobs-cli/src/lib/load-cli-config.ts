import { describeRedis, producerOptionsFromEnv, RedisConfigError, type RedisSettings } from '@jobs/queue-contracts';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/** The `jobs-cli` command's settings, resolved once from the environment and the global flags. */
export interface CliConfig {
  /** Where Redis is (credentials included: never print this object). */
  readonly redis: RedisSettings;
  /** BullMQ key prefix: `--prefix`, else `BULLMQ_PREFIX`, else `bull`. */
  readonly prefix: string;
  /** `redis://host:port/db`, no credentials: for messages. */
  readonly redisDescription: string;
}

/** The global flags that override the environment. */
export interface CliFlags {
  /** `--redis-url`: wins over `REDIS_URL` and `REDIS_HOST`/`REDIS_PORT`/…. */
  readonly redisUrl?: string;
  /** `--prefix`: wins over `BULLMQ_PREFIX`. */
  readonly prefix?: string;
}

/**
 * Resolves the CLI's Redis settings and key prefix the way the workers do
 * (`producerOptionsFromEnv`: `REDIS_URL` or `REDIS_HOST`/`REDIS_PORT`/`REDIS_USERNAME`/
 * `REDIS_PASSWORD`/`REDIS_TLS`/`REDIS_DB`, or a Redis Cluster's seeds in `REDIS_CLUSTER_NODES`;
 * `BULLMQ_PREFIX` default `bull`, without `{`/`}` on a cluster), flags first. `--redis-url` with
 * `REDIS_CLUSTER_NODES` set is refused, as `REDIS_URL` with it is.
 * @param env - defaults to `process.env` (read here only).
 * @returns a frozen {@link CliConfig}.
 * @throws CliError (usage) naming the bad variable or flag, never its value.
 */
export function loadCliConfig(flags: CliFlags, env: Readonly<Record<string, string | undefined>> = process.env): CliConfig {
  const merged = { ...env };
  if (flags.redisUrl !== undefined) merged['REDIS_URL'] = flags.redisUrl;
  if (flags.prefix !== undefined) merged['BULLMQ_PREFIX'] = flags.prefix;
  try {
    const options = producerOptionsFromEnv(merged);
    // In cluster mode each queue's prefix gets its group's hash tag (`queuePrefix`); a tag of the
    // user's own would override it, so it is refused here (exit 2) rather than at the first queue.
    if (options.redis.clusterNodes && options.prefix !== undefined && /[{}]/.test(options.prefix)) {
      const name = flags.prefix !== undefined ? '--prefix' : 'BULLMQ_PREFIX';
      throw new CliError(EXIT_CODES.usage, `invalid Redis configuration: ${name}: must not contain { or } with REDIS_CLUSTER_NODES (a hash tag is added per queue group)`);
    }
    return Object.freeze({ redis: options.redis, prefix: options.prefix ?? 'bull', redisDescription: describeRedis(options.redis) });
  } catch (err) {
    if (!(err instanceof RedisConfigError)) throw err;
    // Name the flag when the value came from one, so the user knows what to fix.
    // A message about another variable may name REDIS_URL / BULLMQ_PREFIX when a flag gave it.
    const named = err.problems.map(({ variable, message }) => `${flagFor(variable, flags) ?? variable}: ${withFlagNames(message, flags)}`);
    throw new CliError(EXIT_CODES.usage, `invalid Redis configuration: ${named.join('; ')}`, { cause: err });
  }
}

function withFlagNames(message: string, flags: CliFlags): string {
  let text = message;
  if (flags.redisUrl !== undefined) text = text.replace(/\bREDIS_URL\b/g, '--redis-url');
  if (flags.prefix !== undefined) text = text.replace(/\bBULLMQ_PREFIX\b/g, '--prefix');
  return text;
}

function flagFor(variable: string, flags: CliFlags): string | undefined {
  if (variable === 'REDIS_URL' && flags.redisUrl !== undefined) return '--redis-url';
  if (variable === 'BULLMQ_PREFIX' && flags.prefix !== undefined) return '--prefix';
  return undefined;
}
