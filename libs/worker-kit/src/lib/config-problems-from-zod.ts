import type { z } from 'zod';
import type { ConfigProblem } from './config-error';

/**
 * Turns a zod error from parsing environment variables into one problem per variable (the
 * first issue of each), worded for people: a required variable that is unset (or empty) is
 * `missing`, never zod's "expected string, received undefined"; `abc` for a count reads `must be a
 * number`, `0` reads `must be ≥ 1`.
 * @param env - the environment that was parsed, without empty values; a variable absent from it
 *   and refused for its type, or with a message starting "is required", is `missing`.
 */
export function configProblemsFromZod(error: z.ZodError, env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  const byVariable = new Map<string, ConfigProblem>();
  for (const issue of error.issues) {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : '(environment)';
    if (byVariable.has(variable)) continue;
    const message = describeIssue(issue);
    const absent = env[variable] === undefined;
    const missing = absent && (issue.code === 'invalid_type' || /^(is )?required\b/.test(message));
    byVariable.set(variable, { variable, kind: missing ? 'missing' : 'invalid', message: missing && issue.code === 'invalid_type' ? 'is required' : message });
  }
  return [...byVariable.values()];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'number') return 'must be a number';
      return `must be a ${issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}
