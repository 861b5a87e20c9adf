import { z } from 'zod';
import { CONTRACT_LIMITS } from './contract-limits';
import { jsonProblem } from './json-problem';
import type { JsonValue } from './json-value';

/**
 * Schema of any JSON value nested at most `CONTRACT_LIMITS.MAX_JSON_DEPTH` levels, for fields of
 * results our own workers build: reading one back can never overflow the stack, and its size is
 * the worker's business (unlike job data, which comes from outside).
 */
export const depthBoundedJsonSchema: z.ZodType<JsonValue, JsonValue> = z.custom<JsonValue>().superRefine((value, ctx) => {
  const problem = jsonProblem(value, CONTRACT_LIMITS.MAX_JSON_DEPTH);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be plain JSON: ${problem}` });
});
