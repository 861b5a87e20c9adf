import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createAdsApp } from './create-ads-app';

/**
 * The ads worker as the kit's app skeleton (configuration, Redis, queue handle, worker, health
 * server on 9106, shutdown) around createAdsApp. `main.ts` runs its `main()`; tests `start()` it.
 */
export const adsWorkerApp = defineWorkerApp({
  name: 'ads-worker',
  queue: QUEUE_NAMES.ads,
  loadConfig,
  describe: (config) => ({
    google: { apiUrl: config.google.apiUrl, apiVersion: config.google.apiVersion, developerToken: config.google.developerToken !== null },
    meta: { graphUrl: config.meta.graphUrl, asyncReportMinDays: config.meta.asyncReportMinDays },
    report: config.report,
    maxInProcessWaitMs: config.maxInProcessWaitMs,
    asOfDate: config.asOfDate,
  }),
  build: async ({ config, log, stateRedis }) => createAdsApp(config, { redis: await stateRedis(), log }),
});
