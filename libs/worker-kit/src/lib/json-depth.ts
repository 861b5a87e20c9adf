/**
 * Deepest nesting of job data a worker accepts: the data object itself (1) plus a field nested to
 * queue-contracts' `CONTRACT_LIMITS.MAX_JSON_DEPTH` (32), where `{}` or `[]` counts one level.
 * Deeper data fails at once as unrecoverable, before zod or a handler recurses over it.
 */
export const MAX_JOB_DATA_DEPTH = 33;

/**
 * True when `value` holds objects or arrays nested more than `maxDepth` levels (a scalar is
 * depth 0, `{}` depth 1, `{ a: [] }` depth 2). Iterative, with an explicit stack, so a value
 * nested a million levels deep is measured without overflowing the call stack; stops at the
 * first path that is too deep.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
