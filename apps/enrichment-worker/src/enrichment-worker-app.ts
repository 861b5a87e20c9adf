import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createEnrichmentHandlers } from './create-enrichment-handlers';

/**
 * The enrichment worker as the kit's app skeleton (configuration, Redis, queue handle, worker,
 * health server on 9103, shutdown) around createEnrichmentHandlers (rate limiter, Apify client,
 * batch records) on the kit's state connection: a standalone Redis, or a Cluster when
 * `REDIS_CLUSTER_NODES` is set. `main.ts` runs its `main()`; tests `start()` it.
 */
export const enrichmentWorkerApp = defineWorkerApp({
  name: 'enrichment-worker',
  queue: QUEUE_NAMES.enrichment,
  loadConfig,
  describe: (config) => ({
    actorId: config.apify.actorId,
    maxCallsPerSecond: config.apify.maxCallsPerSecond,
    runTimeoutSecs: config.runTimeoutSecs,
    keyPrefix: config.keyPrefix,
  }),
  build: async ({ config, stateRedis }) => ({ handlers: createEnrichmentHandlers(config, await stateRedis()).handlers }),
});
