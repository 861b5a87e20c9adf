// Entry point of the email worker: the kit's app skeleton (configuration, Redis, worker, health
// server, shutdown) around the handlers of create-email-handlers (credentials, providers,
// output, stores). Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createEmailHandlers } from './create-email-handlers';

void defineWorkerApp({
  name: 'email-worker',
  queue: QUEUE_NAMES.email,
  loadConfig,
  describe: (config) => ({ sync: config.sync, sink: config.sink.kind, folders: config.graph.folders, model: config.chat.model }),
  // The worker's own keys (state, locks, markers, draft records) and the Redis Stream output.
  build: async ({ config, stateRedis }) => ({ handlers: createEmailHandlers(config, await stateRedis()) }),
}).main();
