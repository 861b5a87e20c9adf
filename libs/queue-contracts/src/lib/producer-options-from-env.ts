import type { JobProducerOptions } from './job-producer';
import { RedisConfigError, redisSettingsFromEnv, type RedisEnv } from './redis-env';

/**
 * The module-level producers' settings from the environment, the same variables the workers
 * read: Redis from `REDIS_URL` / `REDIS_HOST` … (see `redisSettingsFromEnv`) and the BullMQ key
 * prefix from `BULLMQ_PREFIX` (default `bull`), so an app and its workers sharing one `.env` use
 * the same keys. A producer on another prefix than its workers enqueues jobs no worker ever takes.
 * @param env - defaults to `process.env`.
 * @throws RedisConfigError naming the variable when a value is malformed (a prefix with `:`).
 */
export function producerOptionsFromEnv(env: RedisEnv & { readonly BULLMQ_PREFIX?: string } = process.env): JobProducerOptions {
  const redis = redisSettingsFromEnv(env);
  const prefix = env['BULLMQ_PREFIX']?.trim();
  if (prefix === undefined || prefix === '') return { redis };
  if (prefix.includes(':')) {
    throw new RedisConfigError([{ variable: 'BULLMQ_PREFIX', message: 'must not contain ":" (the Redis key separator)' }]);
  }
  return { redis, prefix };
}
