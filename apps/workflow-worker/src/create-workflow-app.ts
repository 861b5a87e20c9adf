import { JobProducer, QUEUE_NAMES, queuePrefix, WorkflowClient, workflowKeys } from '@jobs/queue-contracts';
import type { Job } from 'bullmq';
import { createLogger, type AppRedis, type JobHandlers, type Logger } from '@jobs/worker-kit';
import type { WorkflowWorkerConfig } from './config';
import { closeRunAfterJobFailed } from './engine/close-run-after-job-failed';
import { DefinitionCache } from './engine/definition-cache';
import type { WorkflowEngineDeps } from './engine/run-workflow';
import { createStepDeadlineHandler } from './steps/child-job/step-deadline';
import { createStepRegistry } from './steps/step-registry';
import { createWorkflowExecutionHandler } from './workflow-execution-handler';

/** The workflow queue's handlers and what they opened. */
export interface WorkflowApp {
  readonly handlers: JobHandlers<'workflow'>;
  readonly engine: WorkflowEngineDeps;
  /**
   * The kit's `onFailedForGood` hook: a run whose job failed for good outside the handler (stalled
   * more than `WORKER_MAX_STALLED_COUNT` times) gets its record marked failed (`closeRunAfterJobFailed`).
   */
  onFailedForGood(job: Job, err: Error): Promise<void>;
  /** Closes the producers and the definitions client (the caller owns `redis`). */
  close(): Promise<void>;
}

/**
 * Wires the workflow worker from its config: the run journal, events and cancel flags on
 * `redis` (the app's state connection), definitions read through a `WorkflowClient` (cached per
 * version), child jobs added through typed producers on the same Redis and prefix, and every
 * step kind. `log` (default silent) gets the lines of `onFailedForGood`.
 *
 * The engine's keys are `workflowKeys` of the `workflow` queue's prefix (`queuePrefix`): the
 * configured `BULLMQ_PREFIX` on a standalone Redis, `<prefix>:{workflow}` on a Redis Cluster, so
 * every run key sits in the slot of the queue's jobs and locks, where `WorkflowClient` (which
 * reads the prefix off the queue's `qualifiedName`) looks for them. The child queues (email,
 * voice, enrichment) share that `{workflow}` group, so flow parent and children share a slot.
 * @param deps - `redis`: a standalone `Redis` or, in cluster mode, a `Cluster` (`AppRedis`);
 *   the caller closes it. `log`: default silent.
 * @throws RangeError in cluster mode when the configured prefix holds a `{…}` tag (`queuePrefix`).
 */
export function createWorkflowApp(config: WorkflowWorkerConfig, { redis, log = createLogger({ level: 'silent' }) }: { readonly redis: AppRedis; readonly log?: Logger }): WorkflowApp {
  const prefix = queuePrefix(config.worker, QUEUE_NAMES.workflow);
  const producer = new JobProducer({ redis: config.worker.redis, prefix: config.worker.prefix });
  // Shares the producer's connections; its close() leaves them to the producer's.
  const client = new WorkflowClient(producer);
  const engine: WorkflowEngineDeps = {
    redis,
    prefix,
    definitions: new DefinitionCache(client, async (workflowId) => {
      const latest = await redis.hget(workflowKeys(prefix).def(workflowId), 'latest');
      return latest === null ? null : Number(latest);
    }),
    producer,
    stepKinds: createStepRegistry({ redis, prefix, httpAllowPrivateNetworks: config.httpAllowPrivateNetworks }),
    limits: config.limits,
    recordTtlMs: config.recordTtlMs,
    maxRunRecordBytes: config.maxRunRecordBytes,
  };
  return {
    handlers: { WORKFLOW_EXECUTION: createWorkflowExecutionHandler(engine), WORKFLOW_STEP_DEADLINE: createStepDeadlineHandler({ producer }) },
    engine,
    async onFailedForGood(job, err) {
      await closeRunAfterJobFailed(engine, job, err, log);
    },
    async close() {
      await client.close();
      await producer.close();
    },
  };
}
