import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A run id a caller may choose (`WORKFLOW_EXECUTION.runId`): 1-128 characters of
 * `A-Z a-z 0-9 _ . -`. The run id becomes part of BullMQ job ids (`wfrun-<runId>`, and
 * `wf-<runId>-<stepId>-<attempt>` for a step's child job), which must not contain `:` and stay
 * within 256 characters, and of Redis keys (`<prefix>:workflow:run:<runId>`).
 */
export const workflowRunIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 _ . -');

/**
 * The run id of the run started by trigger `triggerId` of workflow `workflowId`:
 * `'run_' + sha256(workflowId + '\n' + triggerId)` in hex, first 32 hex digits (128 bits).
 * Deterministic, so the same trigger delivered twice names the same run (and, through
 * {@link workflowRunJobId}, the same job). The newline between the two keeps `('ab', 'c')` and
 * `('a', 'bc')` apart.
 * @param workflowId - the workflow's id (as in the job data, trimmed).
 * @param triggerId - the trigger's id (as in the job data, trimmed).
 * @returns e.g. `run_3f1c…` (36 characters).
 */
export function deriveWorkflowRunId(workflowId: string, triggerId: string): string {
  return `run_${createHash('sha256').update(`${workflowId}\n${triggerId}`).digest('hex').slice(0, 32)}`;
}

/**
 * The BullMQ job id of run `runId` on queue `workflow`: `wfrun-<runId>`. One job per run, so
 * adding the same run twice returns the job already there (`alreadyExisted: true`). BullMQ
 * forbids `:` in custom ids, hence the `-`.
 */
export function workflowRunJobId(runId: string): string {
  return `wfrun-${runId}`;
}

/** The run id of `WORKFLOW_EXECUTION` data: its `runId` when given, else {@link deriveWorkflowRunId}. */
export function workflowRunIdOf(data: { workflowId: string; triggerId: string; runId?: string }): string {
  return data.runId ?? deriveWorkflowRunId(data.workflowId, data.triggerId);
}
