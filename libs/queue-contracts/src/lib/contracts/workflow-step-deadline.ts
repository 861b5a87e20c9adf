import { z } from 'zod';
import { QUEUE_NAMES } from '../queue-names';
import { stepIdSchema } from '../workflow/definition-schema';
import { workflowRunIdSchema } from '../workflow/workflow-run-id';

/**
 * A BullMQ job id as the workflow worker's own jobs carry them: 1-256 characters, no white space
 * and no `:` (BullMQ's key separator; `wfrun-<runId>`, `wf-<runId>-<stepId>-<attempt>`).
 */
const bullJobIdSchema = z
  .string()
  .regex(/^[^\s:]{1,256}$/, 'must be a BullMQ job id: 1-256 characters, no white space and no ":"');

/**
 * `WORKFLOW_STEP_DEADLINE` data (internal to the workflow worker, which adds the job to itself):
 * the timer of a job step's `timeoutMs`. Run `runId`, whose job is `runJobId` on queue
 * `workflow`, waits in its step `stepId` for child job `childJobId` on queue `childQueue`;
 * when the timer is due and the run still waits for that child, the child is let go of so the
 * run resumes and fails the step as timed out.
 */
export const workflowStepDeadlineDataSchema = z.strictObject({
  runId: workflowRunIdSchema,
  runJobId: bullJobIdSchema,
  stepId: stepIdSchema,
  childQueue: z.enum([QUEUE_NAMES.enrichment, QUEUE_NAMES.email, QUEUE_NAMES.voice]),
  childJobId: bullJobIdSchema,
});

/**
 * `WORKFLOW_STEP_DEADLINE` result:
 * - `detached`: the run still waited for the child, which was removed (not started) or unlinked
 *   from the run (started; it runs on), so BullMQ released the run's job;
 * - `already-finished`: nothing to do: the child finished (or is gone), or the run no longer
 *   waits for it (it resumed, moved on or ended);
 * - `run-gone`: the run's job does not exist any more.
 */
export const workflowStepDeadlineResultSchema = z.strictObject({
  outcome: z.enum(['detached', 'already-finished', 'run-gone']),
});
