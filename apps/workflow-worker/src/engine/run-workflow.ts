import { workflowRunIdOf, type JobData, type JobProducer, type WorkflowDefinition, type WorkflowRunRecord, type WorkflowStep } from '@jobs/queue-contracts';
import { PermanentJobError, type AppRedis, type JobContext } from '@jobs/worker-kit';
import type { WorkflowDefinitions } from './definition-cache';
import { RunJournal } from './journal';
import { ENDED_RUN_STATUSES, toExecutionResult, type WorkflowExecutionResult } from './run-record';
import { RunLoop } from './run-loop';
import type { StepKind } from './step-kind';

/** Guards against runaway definitions; a definition's own `limits` win over these defaults. */
export interface RunLimits {
  /** Steps a run may start (a step visited twice counts twice); default 500. */
  readonly maxExecutedSteps: number;
  /** Age of a run (from its first start) after which it fails, ms; default 30 days. */
  readonly maxRunAgeMs: number;
}

/** Everything the engine needs, connected; the caller closes them. */
export interface WorkflowEngineDeps {
  /** For the journal, events and cancel flags: a `Redis`, or a `Cluster` in cluster mode. */
  readonly redis: AppRedis;
  /**
   * The `workflow` queue's BullMQ prefix, `queuePrefix({ redis, prefix }, 'workflow')`: the
   * configured prefix on a standalone Redis, `<prefix>:{workflow}` on a Redis Cluster. The run's
   * keys are `workflowKeys(prefix)`, so they share the slot of the run job's lock (the journal's
   * fenced write is one script over both).
   */
  readonly prefix: string;
  /** Definitions by version (cached) and the latest version's number. */
  readonly definitions: WorkflowDefinitions;
  /** Typed producers of the other queues (job steps). */
  readonly producer: JobProducer;
  /** Step kinds by kind. */
  readonly stepKinds: ReadonlyMap<string, StepKind>;
  readonly limits: RunLimits;
  /** How long an ended run's record (and its events) is kept, ms. */
  readonly recordTtlMs: number;
  /**
   * Bound on a run record's JSON, UTF-8 bytes; default 4 MiB (`DEFAULT_MAX_RUN_RECORD_BYTES`).
   * A step whose outcome would grow the record past it fails instead (see `stepOutcomeProblem`).
   */
  readonly maxRunRecordBytes?: number;
  /** ms epoch; default Date.now. */
  readonly now?: () => number;
}

/**
 * Runs (or resumes) one workflow run inside its job's attempt: loads or creates the run record
 * (pinning the definition's latest version), then step by step — cancel flag and guards checked,
 * the step journaled `running`, run, its outcome journaled — until the run ends or a step waits,
 * when the job suspends itself (delayed, or waiting for its children) and this attempt ends.
 * A run whose record says it ended returns that result again (a duplicate trigger).
 * @returns the result of the ended run: a failed or cancelled run is a result, not an error.
 * @throws DelayedError / WaitingChildrenError when the run suspended; PermanentJobError when the
 *   definition is missing or the record belongs to another job; RunRecordCorruptError;
 *   JournalFencedError when the job lock was lost; Redis errors (the job retries and resumes).
 */
export async function runWorkflow(deps: WorkflowEngineDeps, ctx: Pick<JobContext<'WORKFLOW_EXECUTION'>, 'job' | 'data' | 'log' | 'signal'>): Promise<WorkflowExecutionResult> {
  const { job, data } = ctx;
  const now = deps.now ?? Date.now;
  const runId = workflowRunIdOf(data);
  const token = job.token;
  if (!token || !job.id) throw new Error(`run ${runId}: job has no id or lock token (not run by a worker?)`);
  const journal = new RunJournal(deps.redis, deps.prefix, runId, { lockKey: `${job.queueQualifiedName}:${job.id}:lock`, jobId: job.id, token });
  const log = ctx.log.child({ runId });

  // One round trip: the latest version is read alongside, used only by a run's first start.
  const [opened, latest] = await Promise.all([journal.open(), deps.definitions.latestVersion(data.workflowId)]);
  let record = opened.record;
  if (record && ENDED_RUN_STATUSES.has(record.status)) return toExecutionResult(record);
  if (record && record.jobId !== job.id) {
    throw new PermanentJobError(`run ${runId} is already run by job ${record.jobId}; job ${job.id} does not run it again`);
  }
  const version = record?.definitionVersion ?? latest;
  const found = version === null ? null : await deps.definitions.getWorkflowDefinition(data.workflowId, version);
  if (!found) {
    throw new PermanentJobError(
      record ? `workflow "${data.workflowId}" version ${record.definitionVersion} (pinned by run ${runId}) is gone` : `workflow "${data.workflowId}" has no saved definition`,
    );
  }
  if (!record) {
    // Journaled with its first step's entry, in one write.
    record = newRunRecord(runId, job.id, data, found.version, found.definition, now());
    log.info({ workflowId: data.workflowId, definitionVersion: found.version }, 'workflow run started');
  }
  return new RunLoop(deps, job, token, journal, record, found.definition, log, ctx.signal, now, opened.cancelRequested).run();
}

function newRunRecord(runId: string, jobId: string, data: JobData<'WORKFLOW_EXECUTION'>, version: number, definition: WorkflowDefinition, at: number): WorkflowRunRecord {
  return {
    v: 1,
    runId,
    jobId,
    userId: data.userId,
    workflowId: data.workflowId,
    triggerId: data.triggerId,
    definitionVersion: version,
    status: 'running',
    createdAt: at,
    updatedAt: at,
    context: data.context,
    executedSteps: 0,
    currentStepId: definition.start ?? (definition.steps[0] as WorkflowStep).id,
    steps: [],
  };
}
