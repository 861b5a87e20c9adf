import { RateLimiter, type AppRedis, type JobHandlers } from '@jobs/worker-kit';
import type { EnrichmentWorkerConfig } from './config';
import { ApifyActorRuns } from './lib/actor-runs';
import { BatchStateStore } from './lib/batch-state-store';
import { createLeadEnrichmentHandler } from './lead-enrichment-handler';

/**
 * Wires the enrichment queue's handler: one rate limiter for every Apify call of every process
 * of the worker (Redis hash `<keyPrefix>:rate-limit:apify`, shared through `redis`), the actor
 * through `apify-client`, and per-batch records in Redis under `config.keyPrefix`. `redis` must
 * be connected; a standalone client or, in cluster mode, a Cluster (`config.keyPrefix` then holds
 * the queue's hash tag, so each script and MULTI here touches one slot). Also returns the limiter
 * (for metrics and tests).
 */
export function createEnrichmentHandlers(config: EnrichmentWorkerConfig, redis: AppRedis): { handlers: JobHandlers<'enrichment'>; limiter: RateLimiter } {
  const limiter = new RateLimiter({ redis, key: `${config.keyPrefix}:rate-limit:apify`, perSecond: config.apify.maxCallsPerSecond });
  const actor = new ApifyActorRuns({
    baseUrl: config.apify.baseUrl,
    token: config.apify.token,
    actorId: config.apify.actorId,
    limiter,
    readRetries: config.apify.readRetries,
    rateLimitPauseMs: config.apify.rateLimitPauseMs,
  });
  return {
    limiter,
    handlers: {
      LEAD_ENRICHMENT: createLeadEnrichmentHandler({
        actor,
        batches: new BatchStateStore(redis, config.keyPrefix, config.batchRecordTtlMs),
        runTimeoutSecs: config.runTimeoutSecs,
        runMemoryMbytes: config.runMemoryMbytes,
        throttleDelayMs: Math.max(1000, config.apify.rateLimitPauseMs),
      }),
    },
  };
}
