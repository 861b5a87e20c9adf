// Entry point of the enrichment worker: the kit's app skeleton (configuration, Redis, worker,
// health server, shutdown) around the handler of create-enrichment-handlers (rate limiter, Apify
// client, batch records). Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createEnrichmentHandlers } from './create-enrichment-handlers';

void defineWorkerApp({
  name: 'enrichment-worker',
  queue: QUEUE_NAMES.enrichment,
  loadConfig,
  describe: (config) => ({ actorId: config.apify.actorId, maxCallsPerSecond: config.apify.maxCallsPerSecond, runTimeoutSecs: config.runTimeoutSecs }),
  build: async ({ config, stateRedis }) => ({ handlers: createEnrichmentHandlers(config, await stateRedis()).handlers }),
}).main();
