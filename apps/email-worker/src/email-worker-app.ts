import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createEmailHandlers } from './create-email-handlers';

/**
 * The email worker as the kit's app skeleton (configuration, Redis, worker, health server on
 * 9101, shutdown) around the handlers of create-email-handlers (credentials, providers, output,
 * stores). `main.ts` runs its `main()`; tests `start()` it.
 */
export const emailWorkerApp = defineWorkerApp({
  name: 'email-worker',
  queue: QUEUE_NAMES.email,
  loadConfig,
  describe: (config) => ({ sync: config.sync, sink: config.sink.kind, folders: config.graph.folders, model: config.chat.model }),
  // The worker's own keys (state, locks, markers, draft records) and the Redis Stream output,
  // on one connection: a `Cluster` in cluster mode.
  build: async ({ config, stateRedis }) => ({ handlers: createEmailHandlers(config, await stateRedis()) }),
});
