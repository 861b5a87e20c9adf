import type { JobProducerOptions } from './job-producer';
import { RedisConfigError, redisSettingsFromEnv, type RedisEnv } from './redis-env';

/** The OpenTelemetry variable {@link producerOptionsFromEnv} reads. */
export interface OtelSwitchEnv {
  /** `true` (any case): no trace propagation, as the OpenTelemetry SDKs read it. */
  readonly OTEL_SDK_DISABLED?: string;
}

/**
 * The module-level producers' settings from the environment, the same variables the workers
 * read: Redis from `REDIS_URL` / `REDIS_HOST` … (see `redisSettingsFromEnv`) and the BullMQ key
 * prefix from `BULLMQ_PREFIX` (default `bull`), so an app and its workers sharing one `.env` use
 * the same keys. A producer on another prefix than its workers enqueues jobs no worker ever takes.
 * Trace propagation is the producer's default (`telemetry: 'otel'`: used when the application has
 * registered an OpenTelemetry tracer provider, nothing stored otherwise), turned off
 * (`telemetry: 'off'`) by `OTEL_SDK_DISABLED=true`, the SDKs' own off switch.
 * @param env - defaults to `process.env`.
 * @throws RedisConfigError naming the variable when a value is malformed (a prefix with `:`).
 */
export function producerOptionsFromEnv(env: RedisEnv & OtelSwitchEnv & { readonly BULLMQ_PREFIX?: string } = process.env): JobProducerOptions {
  const redis = redisSettingsFromEnv(env);
  const telemetry = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' ? ({ telemetry: 'off' } as const) : {};
  const prefix = env['BULLMQ_PREFIX']?.trim();
  if (prefix === undefined || prefix === '') return { redis, ...telemetry };
  if (prefix.includes(':')) {
    throw new RedisConfigError([{ variable: 'BULLMQ_PREFIX', message: 'must not contain ":" (the Redis key separator)' }]);
  }
  return { redis, prefix, ...telemetry };
}
