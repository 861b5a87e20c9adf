import type { z } from 'zod';

/**
 * One line for people from a zod error of a stored record: `path: message` per issue, joined by
 * `; `, `whole` standing for the path of an issue with the value itself (e.g. `(record)`).
 */
export function describeIssues(error: z.ZodError, whole: string): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || whole}: ${i.message}`).join('; ');
}
