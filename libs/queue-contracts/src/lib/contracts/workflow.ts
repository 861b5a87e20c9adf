import { z } from 'zod';
import { idSchema } from './common';

/** `WORKFLOW_EXECUTION` data: run one stored automation, identified by its execution id. */
export const workflowExecutionDataSchema = z.object({
  userId: idSchema,
  workflowId: idSchema,
  executionId: idSchema.optional(),
  triggerData: z.record(z.string(), z.json()).optional(),
});

/** `WORKFLOW_EXECUTION` result: final status and the steps run. */
export const workflowExecutionResultSchema = z.object({
  status: z.enum(['completed', 'failed', 'cancelled']),
  stepsCompleted: z.number().int().nonnegative(),
  output: z.record(z.string(), z.json()).optional(),
});
