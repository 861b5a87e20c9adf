import { z } from 'zod';
import { CONTRACT_LIMITS } from '../contracts/contract-limits';
import { depthBoundedJsonSchema } from '../contracts/depth-bounded-json';
import { jsonProblem } from '../contracts/json-problem';
import type { JsonObject } from '../contracts/json-value';

const epochMs = z.number().int().min(0);

/** A JSON object nested at most `MAX_JSON_DEPTH` levels (a run's context; its size is the worker's business). */
const jsonObjectSchema: z.ZodType<JsonObject, JsonObject> = z.custom<JsonObject>().superRefine((value, ctx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object ({ ... })' });
    return;
  }
  const problem = jsonProblem(value, CONTRACT_LIMITS.MAX_JSON_DEPTH);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be plain JSON: ${problem}` });
});

/** Where a run is: `running` (a worker holds it), `waiting` (suspended on a wait or a child job), or ended. */
export const workflowRunStatusSchema = z.enum(['running', 'waiting', 'completed', 'failed', 'cancelled']);

/** Where one step entry of a run is. `skipped` is never written by the engine today but may be read. */
export const workflowRunStepStatusSchema = z.enum(['running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled']);

/**
 * One executed step of a run (a step visited twice in a loop has two entries):
 * - `attempts`: attempts made so far (1-based count); `startedAt`/`endedAt`/`waitUntil`: ms epoch.
 * - `childJob`: the job the step added on another queue, `queue` a queue name (`enrichment`, not
 *   the qualified `<prefix>:enrichment`), `jobId` its id (`wf-<runId>-<stepId>-<attempt>`).
 * - `state`: what the step returned when it last suspended (handed back to it on resume).
 * - `output`: the step's output once completed; `error` why it failed; `nextStepId` where the
 *   run went next (absent: the run ended after it).
 */
export const workflowRunStepSchema = z.strictObject({
  stepId: z.string(),
  kind: z.string(),
  status: workflowRunStepStatusSchema,
  attempts: z.number().int().min(0),
  startedAt: epochMs,
  endedAt: epochMs.optional(),
  waitUntil: epochMs.optional(),
  childJob: z.strictObject({ queue: z.string(), jobId: z.string() }).optional(),
  state: depthBoundedJsonSchema.optional(),
  output: depthBoundedJsonSchema.optional(),
  error: z.string().optional(),
  nextStepId: z.string().optional(),
});

/**
 * The journal of one workflow run, version 1: what the worker writes to
 * `workflowKeys(prefix).run(runId)` (a JSON string) before each next step, and what
 * `getWorkflowRun` returns.
 * - `definitionVersion`: the definition version the run pinned when it first started; saving a
 *   new version never changes it.
 * - `createdAt`, `updatedAt`, `endedAt`: ms epoch. `executedSteps`: steps started so far (the
 *   count `limits.maxExecutedSteps` bounds). `currentStepId`: the step running or waiting.
 * - `steps`: one entry per executed step, in execution order; `output`/`error`: the run's.
 *
 * Kept with no TTL while the run runs, and for `WORKFLOW_DEFAULTS.recordTtlMs` (30 days) after it
 * ended.
 */
export const workflowRunRecordSchema = z.strictObject({
  v: z.literal(1),
  runId: z.string(),
  jobId: z.string(),
  userId: z.string(),
  workflowId: z.string(),
  triggerId: z.string(),
  definitionVersion: z.number().int().min(1),
  status: workflowRunStatusSchema,
  createdAt: epochMs,
  updatedAt: epochMs,
  endedAt: epochMs.optional(),
  context: jsonObjectSchema,
  executedSteps: z.number().int().min(0),
  currentStepId: z.string().optional(),
  steps: z.array(workflowRunStepSchema),
  output: depthBoundedJsonSchema.optional(),
  error: z.string().optional(),
});

/** A run record (see {@link workflowRunRecordSchema}). */
export type WorkflowRunRecord = z.infer<typeof workflowRunRecordSchema>;
/** One step entry of a run record. */
export type WorkflowRunStep = z.infer<typeof workflowRunStepSchema>;
/** A run's status. */
export type WorkflowRunStatus = z.infer<typeof workflowRunStatusSchema>;
/** A step entry's status. */
export type WorkflowRunStepStatus = z.infer<typeof workflowRunStepStatusSchema>;
