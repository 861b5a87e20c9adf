import { z } from 'zod';
import { appKeyPrefix, httpUrlSchema, QUEUE_NAMES } from '@jobs/queue-contracts';
import { loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';

/**
 * Defaults of the enrichment worker, from DESIGN.md's table: concurrency 2 and at most 10 Apify
 * API calls per second (`ENRICHMENT_MAX_API_CALLS_PER_SECOND`, shared by every worker process
 * through Redis), health port 9103. Jobs spend their time waiting on actor runs, so 2 jobs at once keep the call rate,
 * not the CPU, as the limit.
 */
export const ENRICHMENT_WORKER_DEFAULTS = Object.freeze({
  concurrency: 2,
  maxJobsPerSecond: 10,
  healthPort: 9103,
  // 4 h per attempt: a job may hold 10 000 leads, and at batchSize 1 that is 10 000 actor runs of
  // about three API calls each at 10 calls/s (close to an hour of calls alone) plus the runs'
  // own time. An attempt that times out loses nothing: finished batches are recorded and skipped.
  jobTimeoutMs: 4 * 60 * 60 * 1000,
});

/** The enrichment worker's resolved configuration. */
export interface EnrichmentWorkerConfig {
  readonly worker: WorkerConfig;
  /**
   * Prefix of the worker's own keys (batch records, the Apify rate limit):
   * `appKeyPrefix(worker, 'enrichment', 'enrichment-worker')`, i.e. `<BULLMQ_PREFIX>:enrichment-worker`
   * on a standalone Redis and `<BULLMQ_PREFIX>:{workflow}:enrichment-worker` on a cluster (the
   * enrichment queue's slot).
   */
  readonly keyPrefix: string;
  readonly apify: Readonly<{
    baseUrl: string;
    token: string;
    actorId: string;
    maxCallsPerSecond: number;
    readRetries: number;
    rateLimitPauseMs: number;
  }>;
  readonly runTimeoutSecs: number;
  readonly runMemoryMbytes: number | null;
  readonly batchRecordTtlMs: number;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  APIFY_BASE_URL: httpUrlSchema.default('https://api.apify.com'),
  APIFY_TOKEN: z.string().min(1, 'is required'),
  APIFY_ACTOR_ID: z.string().trim().min(1, 'is required'),
  ENRICHMENT_MAX_API_CALLS_PER_SECOND: z.coerce.number().positive().max(1000).default(10),
  ENRICHMENT_CLIENT_READ_RETRIES: int(0, 10).default(3),
  ENRICHMENT_RATE_LIMIT_PAUSE_MS: int(0, 60_000).default(1000),
  ENRICHMENT_RUN_TIMEOUT_SECS: int(10, 86_400).default(300),
  ENRICHMENT_RUN_MEMORY_MBYTES: int(128, 32_768).optional(),
  ENRICHMENT_BATCH_RECORD_TTL_MS: int(3_600_000, 365 * 86_400_000).default(7 * 86_400_000),
});

/**
 * Reads the enrichment worker's configuration: the worker kit's variables plus `APIFY_TOKEN` and
 * `APIFY_ACTOR_ID` (required), `APIFY_BASE_URL` (https://api.apify.com),
 * `ENRICHMENT_MAX_API_CALLS_PER_SECOND` (10, every call of every worker process together, retries included),
 * `ENRICHMENT_CLIENT_READ_RETRIES` (3), `ENRICHMENT_RATE_LIMIT_PAUSE_MS` (1000, after a 429),
 * `ENRICHMENT_RUN_TIMEOUT_SECS` (300), `ENRICHMENT_RUN_MEMORY_MBYTES` (the actor's default),
 * `ENRICHMENT_BATCH_RECORD_TTL_MS` (7 d).
 * @param env - defaults to `process.env`.
 * @throws ConfigError naming every bad or missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EnrichmentWorkerConfig {
  return loadAppConfig({ name: 'enrichment-worker', defaults: ENRICHMENT_WORKER_DEFAULTS, envSchema: envSchema, resolve: resolveEnrichmentConfig }, env);
}

function resolveEnrichmentConfig(e: z.output<typeof envSchema>, worker: WorkerConfig): EnrichmentWorkerConfig {
  return Object.freeze({
    worker,
    keyPrefix: appKeyPrefix({ redis: worker.redis, prefix: worker.prefix }, QUEUE_NAMES.enrichment, 'enrichment-worker'),
    apify: Object.freeze({
      baseUrl: e.APIFY_BASE_URL,
      token: e.APIFY_TOKEN,
      actorId: e.APIFY_ACTOR_ID,
      maxCallsPerSecond: e.ENRICHMENT_MAX_API_CALLS_PER_SECOND,
      readRetries: e.ENRICHMENT_CLIENT_READ_RETRIES,
      rateLimitPauseMs: e.ENRICHMENT_RATE_LIMIT_PAUSE_MS,
    }),
    runTimeoutSecs: e.ENRICHMENT_RUN_TIMEOUT_SECS,
    runMemoryMbytes: e.ENRICHMENT_RUN_MEMORY_MBYTES ?? null,
    batchRecordTtlMs: e.ENRICHMENT_BATCH_RECORD_TTL_MS,
  });
}
