import { z } from 'zod';
import { envBooleanSchema } from '@jobs/common';
import { WORKFLOW_DEFAULTS } from '@jobs/queue-contracts';
import { loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';
import { DEFAULT_MAX_RUN_RECORD_BYTES } from './engine/step-outcome-bounds';

/**
 * Defaults of the workflow worker, from DESIGN.md's table: concurrency 5, 20 jobs/s, health port
 * 9104. A slot is held only while a run's pure steps run: waits (time, events, child jobs) suspend
 * the run's job, so five slots drive any number of waiting runs. The limiter counts every resume
 * of a run as a job start.
 *
 * `maxStalledCount` 20 (`WORKER_MAX_STALLED_COUNT`), not BullMQ's 1: BullMQ counts stalls over a
 * job's whole life, so a run whose worker was killed twice, days apart, would fail for good,
 * though its journal resumes it without re-running anything. The bound only stops a run that
 * kills its worker every time.
 */
export const WORKFLOW_WORKER_DEFAULTS = Object.freeze({ concurrency: 5, maxJobsPerSecond: 20, healthPort: 9104, maxStalledCount: 20 });

/** The workflow worker's resolved configuration. */
export interface WorkflowWorkerConfig {
  readonly worker: WorkerConfig;
  /** Guards of a run whose definition sets no `limits`. */
  readonly limits: Readonly<{ maxExecutedSteps: number; maxRunAgeMs: number }>;
  /** How long an ended run's record, events and cancel flag are kept, ms. */
  readonly recordTtlMs: number;
  /** Bound on a run record's JSON, UTF-8 bytes (`WORKFLOW_MAX_RUN_RECORD_BYTES`, default 4 MiB). */
  readonly maxRunRecordBytes: number;
  /** `http_request` steps may reach loopback, private and link-local addresses (off by default: SSRF). */
  readonly httpAllowPrivateNetworks: boolean;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const workflowEnvSchema = z.object({
  WORKFLOW_MAX_EXECUTED_STEPS: int(1, 10_000).default(WORKFLOW_DEFAULTS.maxExecutedSteps),
  WORKFLOW_MAX_RUN_AGE_MS: int(1000, 365 * 86_400_000).default(WORKFLOW_DEFAULTS.maxRunAgeMs),
  WORKFLOW_RUN_RECORD_TTL_MS: int(60_000, 365 * 86_400_000).default(WORKFLOW_DEFAULTS.recordTtlMs),
  WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS: envBooleanSchema.default(false),
  WORKFLOW_MAX_RUN_RECORD_BYTES: int(256 * 1024, 64 * 1024 * 1024).default(DEFAULT_MAX_RUN_RECORD_BYTES),
});

/**
 * Reads the workflow worker's configuration: the worker kit's variables plus
 * `WORKFLOW_MAX_EXECUTED_STEPS` (500, 1-10 000: steps a run may start, a definition's
 * `limits.maxExecutedSteps` wins), `WORKFLOW_MAX_RUN_AGE_MS` (30 days: a run older fails; a
 * definition's `limits.maxRunAgeMs` wins) and `WORKFLOW_RUN_RECORD_TTL_MS` (30 days: how long an
 * ended run stays readable through `getWorkflowRun`), `WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS`
 * (false: `http_request` steps refuse loopback, private and link-local addresses) and
 * `WORKFLOW_MAX_RUN_RECORD_BYTES` (4 MiB, 256 KiB-64 MiB: a step whose outcome would grow a run's
 * record past it fails). The kit's `WORKER_MAX_STALLED_COUNT` defaults to 20 here.
 * @param env - defaults to `process.env`.
 * @throws ConfigError naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkflowWorkerConfig {
  return loadAppConfig({ name: 'workflow-worker', defaults: WORKFLOW_WORKER_DEFAULTS, envSchema: workflowEnvSchema, resolve: resolveWorkflowConfig }, env);
}

function resolveWorkflowConfig(e: z.output<typeof workflowEnvSchema>, worker: WorkerConfig): WorkflowWorkerConfig {
  return Object.freeze({
    worker,
    limits: Object.freeze({ maxExecutedSteps: e.WORKFLOW_MAX_EXECUTED_STEPS, maxRunAgeMs: e.WORKFLOW_MAX_RUN_AGE_MS }),
    recordTtlMs: e.WORKFLOW_RUN_RECORD_TTL_MS,
    httpAllowPrivateNetworks: e.WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS,
    maxRunRecordBytes: e.WORKFLOW_MAX_RUN_RECORD_BYTES,
  });
}
