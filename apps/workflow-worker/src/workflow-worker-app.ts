import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createWorkflowApp } from './create-workflow-app';

/**
 * The workflow worker as the kit's app skeleton (configuration, Redis, queue handle, worker,
 * health server on 9104, shutdown) around createWorkflowApp (the engine on the app's state
 * connection, its step kinds, the producers of child jobs, released before the state
 * connection). On a Redis Cluster (`REDIS_CLUSTER_NODES`) the state connection is a `Cluster`
 * and the run keys go under the `workflow` queue's `{workflow}` prefix. `main.ts` runs its
 * `main()`; tests `start()` it.
 */
export const workflowWorkerApp = defineWorkerApp({
  name: 'workflow-worker',
  queue: QUEUE_NAMES.workflow,
  loadConfig,
  describe: (config) => ({ limits: config.limits, recordTtlMs: config.recordTtlMs, httpAllowPrivateNetworks: config.httpAllowPrivateNetworks }),
  build: async ({ config, log, stateRedis, release }) => {
    const app = createWorkflowApp(config, { redis: await stateRedis(), log });
    release('workflow producers', () => app.close());
    return { handlers: app.handlers, onFailedForGood: (job, err) => app.onFailedForGood(job, err) };
  },
});
