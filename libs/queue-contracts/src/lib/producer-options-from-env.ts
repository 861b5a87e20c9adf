import type { JobProducerOptions } from './job-producer';
import { RedisConfigError, redisSettingsFromEnv, type RedisEnv } from './redis-env';

/** The OpenTelemetry variables {@link producerOptionsFromEnv} reads to turn trace propagation on. */
export interface OtelSwitchEnv {
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  readonly OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  readonly OTEL_SDK_DISABLED?: string;
}

/**
 * Whether the process exports traces by the OpenTelemetry SDK's standard variables: an OTLP
 * endpoint is set and `OTEL_SDK_DISABLED` is not `true` (the workers' own rule).
 */
function otelTracingOn(env: OtelSwitchEnv): boolean {
  const set = (v: string | undefined) => v !== undefined && v.trim() !== '';
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return set(env.OTEL_EXPORTER_OTLP_ENDPOINT) || set(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * The module-level producers' settings from the environment, the same variables the workers
 * read: Redis from `REDIS_URL` / `REDIS_HOST` … (see `redisSettingsFromEnv`) and the BullMQ key
 * prefix from `BULLMQ_PREFIX` (default `bull`), so an app and its workers sharing one `.env` use
 * the same keys. A producer on another prefix than its workers enqueues jobs no worker ever takes.
 * Trace propagation (`telemetry: 'otel'`) is on when the process exports traces by OpenTelemetry's
 * standard variables (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` set,
 * `OTEL_SDK_DISABLED` not `true`): an application that runs an OTel SDK (and registered its
 * tracer provider) gets its traces continued by the workers; others pay nothing.
 * @param env - defaults to `process.env`.
 * @throws RedisConfigError naming the variable when a value is malformed (a prefix with `:`).
 */
export function producerOptionsFromEnv(env: RedisEnv & OtelSwitchEnv & { readonly BULLMQ_PREFIX?: string } = process.env): JobProducerOptions {
  const redis = redisSettingsFromEnv(env);
  const telemetry = otelTracingOn(env) ? ({ telemetry: 'otel' } as const) : {};
  const prefix = env['BULLMQ_PREFIX']?.trim();
  if (prefix === undefined || prefix === '') return { redis, ...telemetry };
  if (prefix.includes(':')) {
    throw new RedisConfigError([{ variable: 'BULLMQ_PREFIX', message: 'must not contain ":" (the Redis key separator)' }]);
  }
  return { redis, prefix, ...telemetry };
}
