import type { z } from 'zod';

/**
 * Turns a zod error into one line naming each offending field by its path, e.g.
 * `depth: Too big: expected number to be <=20; websiteUrl: must be an absolute http(s) URL`.
 * A problem with the whole object is named `(root)`.
 */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
