import type { z } from 'zod';

/**
 * Turns a zod error into one line naming each offending field by its path, e.g.
 * `depth: Too big: expected number to be <=20; websiteUrl: must be an absolute http(s) URL`.
 * A problem with the whole value is named `whole` (default `(root)`; e.g. `(record)` for a stored
 * record).
 */
export function formatZodError(error: z.ZodError, whole = '(root)'): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : whole}: ${issue.message}`)
    .join('; ');
}
