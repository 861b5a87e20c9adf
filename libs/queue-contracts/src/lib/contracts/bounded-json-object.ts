import { z } from 'zod';
import { CONTRACT_LIMITS } from './contract-limits';
import { jsonByteLength } from './json-byte-length';
import { jsonProblem } from './json-problem';
import type { JsonObject } from './json-value';

/**
 * Schema of a JSON object field of job data, bounded in nesting (`CONTRACT_LIMITS.MAX_JSON_DEPTH`
 * levels below the field) and in size (`maxBytes`, UTF-8 bytes of its JSON). Refusals name the
 * field and the bound, e.g. `context: must be at most 65536 bytes as JSON (was 5242895)`; the
 * value itself is never quoted back (it may hold anything).
 *
 * Replaces `z.json()`, which recurses: a value nested some thousands of levels deep overflowed
 * the stack (`RangeError`) instead of being refused.
 * @param maxBytes - bound on the field's JSON, in bytes.
 */
export function boundedJsonObject(maxBytes: number): z.ZodType<JsonObject, JsonObject> {
  return z.custom<JsonObject>().superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object ({ ... })' });
      return;
    }
    const problem = jsonProblem(value, CONTRACT_LIMITS.MAX_JSON_DEPTH);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `must be plain JSON: ${problem}` });
      return;
    }
    const bytes = jsonByteLength(value);
    if (bytes > maxBytes) ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes as JSON (was ${bytes})` });
  });
}
