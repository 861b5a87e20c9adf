import { z } from 'zod';
import { envBooleanSchema, withoutEmptyValues } from '@jobs/common';
import { redisSettingsFromEnv, RedisConfigError, type RedisSettings } from '@jobs/queue-contracts';
import { ConfigError, type ConfigProblem } from './config-error';
import { configProblemsFromZod } from './config-problems-from-zod';
import { registerSecrets } from './redact-secrets';
import { secretValuesFromEnv } from './secret-values-from-env';
import { tracingConfigFromEnv, type TracingConfig } from './tracing/tracing-config';

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Default maximum run time of one attempt (ms), where an app sets none: 15 min. */
export const DEFAULT_JOB_TIMEOUT_MS = 900_000;

/** Default of `WORKER_MAX_STALLED_COUNT` where an app sets none: BullMQ's own, 1. */
export const DEFAULT_MAX_STALLED_COUNT = 1;

/** A worker app's own defaults, from DESIGN.md's table. */
export interface WorkerDefaults {
  /** Jobs run at once by one worker process. */
  readonly concurrency: number;
  /**
   * Jobs started per second by one worker process (BullMQ limiter, duration 1000 ms); 0 means no
   * limiter (BullMQ's limiter adds Redis work to every job move, so it is set only when asked for).
   */
  readonly maxJobsPerSecond: number;
  /** Port of `/healthz`, `/readyz`, `/metrics`. */
  readonly healthPort: number;
  /**
   * Default of `WORKER_JOB_TIMEOUT_MS` for this app (ms): the longest one attempt may run.
   * Default 900 000 (15 min); an app whose jobs legitimately run longer sets its own.
   */
  readonly jobTimeoutMs?: number;
  /**
   * Default of `WORKER_MAX_STALLED_COUNT` for this app: how many times over its whole life a job
   * may be found stalled (its worker died or lost the lock) and still be run again. Default 1
   * (BullMQ's); an app whose jobs resume safely from a journal sets more.
   */
  readonly maxStalledCount?: number;
}

/** The resolved, frozen configuration every worker process runs on. */
export interface WorkerConfig {
  readonly redis: RedisSettings;
  /** BullMQ key prefix (`BULLMQ_PREFIX`, default `bull`). */
  readonly prefix: string;
  readonly concurrency: number;
  /** BullMQ limiter: at most `max` jobs per `durationMs`; undefined when none was asked for (0 jobs/s). */
  readonly limiter: Readonly<{ max: number; durationMs: number }> | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /**
   * From the first SIGTERM/SIGINT to aborting running jobs, in ms (`SHUTDOWN_GRACE_MS`): running
   * jobs may finish within it; then their signals abort and a job that stops is handed back to
   * the queue (no attempt used). Default 80 % of `shutdownForceMs`; always less than it.
   */
  readonly shutdownGraceMs: number;
  /**
   * From the first SIGTERM/SIGINT to a forced exit with code 1, in ms (`SHUTDOWN_TIMEOUT_MS`,
   * default 30 000): bounds the whole shutdown, whatever a job or a connection does.
   */
  readonly shutdownForceMs: number;
  /** The same value as `shutdownForceMs`, under its older name. */
  readonly shutdownTimeoutMs: number;
  /** Health and metrics server; port 0 picks a free port. */
  readonly health: Readonly<{ host: string; port: number }>;
  /**
   * BullMQ job lock (ms), renewed while the job runs; also the stalled-check interval, so a job
   * whose worker died (SIGKILL, OOM) runs again within about twice this.
   */
  readonly lockDurationMs: number;
  /**
   * BullMQ `maxStalledCount`: a job found stalled more times than this over its whole life (the
   * count never resets, even days apart) is failed for good ("job stalled more than allowable
   * limit") by the next worker that takes it, without running its handler.
   */
  readonly maxStalledCount: number;
  /**
   * How long after its creation (ms) a job may keep being deferred by `RetryLaterError` without
   * using attempts; past it, a deferral counts as a failed attempt, so a job throttled forever
   * ends failed instead of waiting forever.
   */
  readonly retryLaterMaxAgeMs: number;
  /**
   * How many times over its life a job may be deferred by `RetryLaterError` without using
   * attempts; each deferral past it counts as a failed attempt (retried with backoff). Applies
   * together with `retryLaterMaxAgeMs`, whichever is reached first.
   */
  readonly retryLaterMaxDeferrals: number;
  /**
   * How many times over its life a job may hit `WorkerRateLimitError` without using attempts;
   * past it the queue is still paused but the hit counts as a failed attempt, so a job that is
   * throttled on every try ends failed instead of cycling for ever.
   */
  readonly rateLimitMaxDeferrals: number;
  /** Maximum run time of one attempt of a job's handler, in ms, unless its job type has its own. */
  readonly jobTimeoutMs: number;
  /**
   * Take jobs even when Redis's `maxmemory-policy` is not `noeviction` (default false: the worker
   * stays not ready and takes no job, since an evicting Redis drops job keys silently).
   */
  readonly allowEvictingRedis: boolean;
  /**
   * OpenTelemetry tracing (`OTEL_*` variables, see `tracingConfigFromEnv`): off unless an OTLP
   * endpoint is set.
   */
  readonly tracing: TracingConfig;
}

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const workerEnvSchema = z.object({
  BULLMQ_PREFIX: z
    .string()
    .trim()
    .min(1)
    .refine((v) => !v.includes(':'), 'must not contain ":"')
    .default('bull'),
  WORKER_CONCURRENCY: positiveInt(1000).optional(),
  WORKER_MAX_JOBS_PER_SECOND: z.coerce.number().int().min(0).max(100_000).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  HEALTH_HOST: z.string().trim().min(1).default('0.0.0.0'),
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).max(10_000).optional(),
  RETRY_LATER_MAX_AGE_MS: z.coerce.number().int().min(1000).default(86_400_000),
  RETRY_LATER_MAX_DEFERRALS: z.coerce.number().int().min(0).max(1_000_000).default(200),
  RATE_LIMIT_MAX_DEFERRALS: z.coerce.number().int().min(0).max(1_000_000).default(50),
  WORKER_JOB_TIMEOUT_MS: z.coerce.number().int().min(100).max(7 * 86_400_000).optional(),
  WORKER_ALLOW_EVICTING_REDIS: envBooleanSchema.default(false),
}).superRefine((e, ctx) => {
  // The grace must leave time to hand aborted jobs back and close connections before the force.
  if (e.SHUTDOWN_GRACE_MS !== undefined && e.SHUTDOWN_GRACE_MS >= e.SHUTDOWN_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', path: ['SHUTDOWN_GRACE_MS'], message: 'must be less than SHUTDOWN_TIMEOUT_MS' });
  }
});

/** Share of `SHUTDOWN_TIMEOUT_MS` given to running jobs when `SHUTDOWN_GRACE_MS` is unset. */
export const DEFAULT_SHUTDOWN_GRACE_SHARE = 0.8;

/**
 * Reads a worker's configuration from the environment, once, at the edge (`main.ts`).
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `REDIS_URL` or `REDIS_HOST`/`PORT`/`USERNAME`/`PASSWORD`/`TLS`/`DB` | Redis | 127.0.0.1:6379 |
 * | `BULLMQ_PREFIX` | key prefix | `bull` |
 * | `WORKER_CONCURRENCY` | jobs at once | `defaults.concurrency` |
 * | `WORKER_MAX_JOBS_PER_SECOND` | jobs started per second; 0: no limiter | `defaults.maxJobsPerSecond` |
 * | `LOG_LEVEL` | trace … fatal, silent | info |
 * | `SHUTDOWN_GRACE_MS` | running jobs' time to finish after SIGTERM, then aborted and handed back | 80 % of `SHUTDOWN_TIMEOUT_MS` |
 * | `SHUTDOWN_TIMEOUT_MS` | force deadline: exit 1 this long after SIGTERM | 30000 |
 * | `HEALTH_HOST`, `HEALTH_PORT` | health/metrics server | 0.0.0.0, `defaults.healthPort` |
 * | `WORKER_LOCK_DURATION_MS` | job lock and stalled-check interval | 30000 |
 * | `WORKER_MAX_STALLED_COUNT` | times a job may stall over its life and still run again (0-10 000) | `defaults.maxStalledCount`, else 1 |
 * | `RETRY_LATER_MAX_AGE_MS` | how long a job may be deferred without using attempts | 86400000 (24 h) |
 * | `RETRY_LATER_MAX_DEFERRALS` | `RetryLaterError` deferrals per job before each uses an attempt | 200 |
 * | `RATE_LIMIT_MAX_DEFERRALS` | `WorkerRateLimitError` hits per job before each uses an attempt | 50 |
 * | `WORKER_JOB_TIMEOUT_MS` | maximum run time of one attempt (a job type may set its own) | `defaults.jobTimeoutMs`, else 900000 (15 min) |
 * | `WORKER_ALLOW_EVICTING_REDIS` | take jobs on a Redis whose `maxmemory-policy` is not `noeviction` | false |
 * | `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER(_ARG)`, `OTEL_SDK_DISABLED` | tracing, see `tracingConfigFromEnv` | off |
 *
 * Secret values in `env` (variables named like `*_KEY`, `*_SECRET`, `*_TOKEN`, `*PASSWORD*`, and
 * passwords inside URLs such as `REDIS_URL`) are registered for redaction (`registerSecrets`) as
 * the configuration loads, so logs and job failure reasons never carry them.
 *
 * @param env - defaults to `process.env`; tests pass a plain object.
 * @throws ConfigError listing every missing or bad variable in `problems`.
 */
export function loadWorkerConfig(defaults: WorkerDefaults, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  // First, so even a failed load has taught the redactor every secret the process holds.
  registerSecrets(secretValuesFromEnv(env));
  // Every bad variable in one message, so a deploy is fixed in one go.
  const problems: ConfigProblem[] = [];
  const present = withoutEmptyValues(env);
  let redis: RedisSettings | undefined;
  try {
    redis = redisSettingsFromEnv(env);
  } catch (err) {
    if (!(err instanceof RedisConfigError)) throw err;
    problems.push(
      ...(err.cause instanceof z.ZodError
        ? configProblemsFromZod(err.cause, present)
        : err.problems.map((p) => ({ variable: p.variable, kind: 'invalid' as const, message: p.message }))),
    );
  }
  let tracing: TracingConfig | undefined;
  try {
    tracing = tracingConfigFromEnv(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const parsed = workerEnvSchema.safeParse(present);
  if (!parsed.success) problems.push(...configProblemsFromZod(parsed.error, present));
  // Cluster mode adds a hash tag per queue group to the prefix (queuePrefix): a tag of the
  // user's own would override it. Refused here, as a configuration error (exit 2), not at start.
  if (redis?.clusterNodes && parsed.success && /[{}]/.test(parsed.data.BULLMQ_PREFIX)) {
    problems.push({ variable: 'BULLMQ_PREFIX', kind: 'invalid', message: 'must not contain { or } with REDIS_CLUSTER_NODES (a hash tag is added per queue group)' });
  }
  if (problems.length > 0 || !redis || !tracing || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  const maxJobsPerSecond = e.WORKER_MAX_JOBS_PER_SECOND ?? defaults.maxJobsPerSecond;
  return Object.freeze({
    redis,
    prefix: e.BULLMQ_PREFIX,
    concurrency: e.WORKER_CONCURRENCY ?? defaults.concurrency,
    limiter: maxJobsPerSecond > 0 ? Object.freeze({ max: maxJobsPerSecond, durationMs: 1000 }) : undefined,
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS ?? Math.floor(e.SHUTDOWN_TIMEOUT_MS * DEFAULT_SHUTDOWN_GRACE_SHARE),
    shutdownForceMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    health: Object.freeze({ host: e.HEALTH_HOST, port: e.HEALTH_PORT ?? defaults.healthPort }),
    lockDurationMs: e.WORKER_LOCK_DURATION_MS,
    maxStalledCount: e.WORKER_MAX_STALLED_COUNT ?? defaults.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    retryLaterMaxAgeMs: e.RETRY_LATER_MAX_AGE_MS,
    retryLaterMaxDeferrals: e.RETRY_LATER_MAX_DEFERRALS,
    rateLimitMaxDeferrals: e.RATE_LIMIT_MAX_DEFERRALS,
    jobTimeoutMs: e.WORKER_JOB_TIMEOUT_MS ?? defaults.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
    allowEvictingRedis: e.WORKER_ALLOW_EVICTING_REDIS,
    tracing,
  });
}
