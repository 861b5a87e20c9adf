import { z } from 'zod';

/**
 * A zod schema of a string holding JSON that must match `schema`: `JSON.parse` inside the
 * schema, so text that is not JSON is an issue at the field's path ("not JSON"), like any
 * other mismatch, rather than a SyntaxError. For fields of records read back from Redis.
 */
export function jsonText<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
