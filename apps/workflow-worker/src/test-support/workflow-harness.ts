import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  ioRedisOptions,
  JobProducer,
  WorkflowClient,
  workflowRunIdOf,
  type JobResult,
  type JsonObject,
  type WorkflowDefinitionInput,
  type WorkflowRunRecord,
} from '@jobs/queue-contracts';
import { deletePrefix, jsonLineSink, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { createLogger, createQueueWorker, type QueueWorker } from '@jobs/worker-kit';
import { loadConfig, type WorkflowWorkerConfig } from '../config';
import { createWorkflowApp, type WorkflowApp } from '../create-workflow-app';
import type { StepKind } from '../engine/step-kind';

/** The workflow worker's test environment: real Redis, a unique prefix, no limiter, no logs. */
export function workflowEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return { REDIS_URL: testRedisUrl(), BULLMQ_PREFIX: prefix, HEALTH_PORT: '0', LOG_LEVEL: 'silent', WORKER_MAX_JOBS_PER_SECOND: '0', ...extra };
}

/** An in-process workflow worker on real Redis, wired as main.ts wires it. */
export interface WorkflowHarness {
  readonly prefix: string;
  readonly config: WorkflowWorkerConfig;
  /** The contracts-side API (definitions, signals, cancel, runs) on the harness's prefix. */
  readonly client: WorkflowClient;
  readonly producer: JobProducer;
  readonly queue: Queue;
  readonly redis: Redis;
  readonly logs: Record<string, unknown>[];
  /** Starts a worker; `stepKinds` replace the registry's kinds of the same name (fault injection). */
  startWorker(options?: { stepKinds?: StepKind[] }): QueueWorker;
  /** Saves a definition; returns its version. */
  save(definition: WorkflowDefinitionInput): Promise<number>;
  /** Enqueues a run of `workflowId` for `triggerId`; returns its run id and job id. */
  trigger(workflowId: string, triggerId: string, context?: JsonObject): Promise<{ runId: string; jobId: string }>;
  /** Waits until the run's record says it ended (ceiling `timeoutMs`, default 30 s). */
  waitForRun(runId: string, timeoutMs?: number): Promise<WorkflowRunRecord>;
  /** The completed job's result (the run's job). */
  resultOf(jobId: string): Promise<JobResult<'WORKFLOW_EXECUTION'> | undefined>;
  close(): Promise<void>;
}

export const TEST_USER = 'user-1';

/** Options of {@link startWorkflowHarness}. */
export interface WorkflowHarnessOptions {
  /** Root logger level; default info (debug writes a line per job). */
  readonly logLevel?: 'debug' | 'info' | 'silent';
  /** Another Redis than the tests' shared one (e.g. a private `startThrowawayRedis`). */
  readonly redisUrl?: string;
}

export async function startWorkflowHarness(env: Record<string, string> = {}, { logLevel = 'info', redisUrl = testRedisUrl() }: WorkflowHarnessOptions = {}): Promise<WorkflowHarness> {
  const prefix = uniquePrefix('workflow');
  const config = loadConfig(workflowEnv(prefix, { REDIS_URL: redisUrl, ...env }));
  const redis = new Redis(ioRedisOptions(config.worker.redis, 'worker'));
  const queue = new Queue('workflow', { connection: ioRedisOptions(config.worker.redis, 'producer'), prefix });
  const producerOptions = { redis: config.worker.redis, prefix };
  const client = new WorkflowClient(producerOptions);
  const producer = new JobProducer(producerOptions);
  const { lines: logs, destination } = jsonLineSink();
  const log = createLogger({ level: logLevel, destination });
  const workers: QueueWorker[] = [];
  const apps: WorkflowApp[] = [];
  return {
    prefix,
    config,
    client,
    producer,
    queue,
    redis,
    logs,
    startWorker(options = {}) {
      const app = createWorkflowApp(config, { redis });
      if (options.stepKinds) {
        const kinds = app.engine.stepKinds as Map<string, StepKind>;
        for (const kind of options.stepKinds) kinds.set(kind.kind, kind);
      }
      apps.push(app);
      const worker = createQueueWorker({ queue: 'workflow', handlers: app.handlers, config: config.worker, log, onFailedForGood: (job, err) => app.onFailedForGood(job, err) });
      workers.push(worker);
      return worker;
    },
    async save(definition) {
      return (await client.saveWorkflowDefinition(definition)).version;
    },
    async trigger(workflowId, triggerId, context = {}) {
      const data = { userId: TEST_USER, workflowId, triggerId, context };
      const job = await producer.add('WORKFLOW_EXECUTION', data);
      return { runId: workflowRunIdOf(data), jobId: job.id as string };
    },
    async waitForRun(runId, timeoutMs = 30_000) {
      return waitFor(
        `run ${runId} to end`,
        async () => {
          const run = await client.getWorkflowRun(runId);
          return run && (run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled') ? run : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    async resultOf(jobId) {
      const job = await waitFor(`job ${jobId} to complete`, async () => {
        const found = await Job.fromId(queue, jobId);
        return found?.finishedOn ? found : undefined;
      });
      return job.returnvalue as JobResult<'WORKFLOW_EXECUTION'> | undefined;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(1000)));
      await Promise.all(apps.map((a) => a.close()));
      await Promise.allSettled([client.close(), producer.close(), queue.close()]);
      await deletePrefix(redisUrl, prefix);
      redis.disconnect();
    },
  };
}
