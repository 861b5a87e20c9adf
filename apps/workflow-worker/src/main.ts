// Entry point of the workflow worker: the kit's app skeleton (configuration, Redis, queue
// handle, worker, health server, shutdown) around create-workflow-app (the engine, its step
// kinds, the producers of child jobs). Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createWorkflowApp } from './create-workflow-app';

void defineWorkerApp({
  name: 'workflow-worker',
  queue: QUEUE_NAMES.workflow,
  loadConfig,
  describe: (config) => ({ limits: config.limits, recordTtlMs: config.recordTtlMs, httpAllowPrivateNetworks: config.httpAllowPrivateNetworks }),
  build: async ({ config, log, stateRedis, release }) => {
    const app = createWorkflowApp(config, { redis: await stateRedis(), log });
    release('workflow producers', () => app.close());
    return { handlers: app.handlers, onFailedForGood: (job, err) => app.onFailedForGood(job, err) };
  },
}).main();
