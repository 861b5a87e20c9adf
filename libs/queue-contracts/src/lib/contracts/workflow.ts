import { z } from 'zod';
import { boundedJsonObject } from './bounded-json-object';
import { idSchema } from './common';
import { CONTRACT_LIMITS } from './contract-limits';
import { depthBoundedJsonSchema } from './depth-bounded-json';
import { workflowRunIdSchema } from '../workflow/workflow-run-id';

/**
 * `WORKFLOW_EXECUTION` data, as the seed README sends it: run stored automation `workflowId` for
 * the event `triggerId`.
 * - `context`: what the trigger carried (lead id, source …), a JSON object of at most
 *   `CONTRACT_LIMITS.MAX_CONTEXT_BYTES` (64 KiB), nested at most `MAX_JSON_DEPTH` (32) levels.
 * - `runId`: optional, a run id chosen by the caller (see `workflowRunIdSchema`); without it the
 *   run id is `deriveWorkflowRunId(workflowId, triggerId)`, so the same trigger twice is one run.
 *   It keys the run's record, its events and the idempotency of its steps.
 *
 * Added without `opts.jobId`, the job's id is `workflowRunJobId(runId)` (`wfrun-<runId>`): a
 * second add of the same run returns the first job, `alreadyExisted: true`.
 */
export const workflowExecutionDataSchema = z.strictObject({
  userId: idSchema,
  workflowId: idSchema,
  triggerId: idSchema,
  context: boundedJsonObject(CONTRACT_LIMITS.MAX_CONTEXT_BYTES),
  runId: workflowRunIdSchema.optional(),
});

/** How one step of a workflow run ended. */
export const workflowStepStatusSchema = z.enum(['completed', 'failed', 'skipped', 'cancelled']);

/**
 * One step of a run: `stepId` (the workflow's own step id), its `status`, and, when it has them,
 * an `error` message and its `output` (JSON).
 */
export const workflowStepResultSchema = z.strictObject({
  stepId: z.string(),
  status: workflowStepStatusSchema,
  error: z.string().optional(),
  output: depthBoundedJsonSchema.optional(),
});

/**
 * `WORKFLOW_EXECUTION` result: the run's id, how it ended, its steps in the order they ran, and
 * its output (JSON object) when it produced one.
 */
export const workflowExecutionResultSchema = z.strictObject({
  runId: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  steps: z.array(workflowStepResultSchema),
  output: depthBoundedJsonSchema.optional(),
});
