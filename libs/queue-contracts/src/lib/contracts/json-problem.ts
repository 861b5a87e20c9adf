/**
 * Why `value` is not plain JSON within `maxDepth` levels, or `undefined` when it is. Plain JSON
 * means what survives `JSON.stringify`/`JSON.parse` unchanged: strings, finite numbers, booleans,
 * `null`, arrays and plain objects (no `Date`, `Map`, class instance, `undefined`, function,
 * bigint, `NaN` or `Infinity`). The answer names where, e.g. `a.b[2] is a Date`.
 *
 * Walks with its own stack rather than recursing, and stops descending at `maxDepth` (a cycle
 * is therefore reported as too deep): a value nested 100 000 levels deep costs no call stack.
 * Written here rather than taken from zod, whose `z.json()` recurses and overflows the stack on
 * deep input (`RangeError`).
 */
export function jsonProblem(value: unknown, maxDepth: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const v = item.value;
    const where = item.path === '' ? 'the value' : item.path;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `${where} is ${String(v)}, which JSON cannot carry`;
      continue;
    }
    if (typeof v !== 'object') return `${where} is ${typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`}, which JSON cannot carry`;
    const isArray = Array.isArray(v);
    if (!isArray) {
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        const kind = (v as object).constructor?.name ?? 'object';
        return `${where} is a ${kind}, not a plain object${kind === 'Date' ? ' (pass an ISO-8601 string)' : ''}`;
      }
    }
    if (item.depth + 1 > maxDepth) return `nested more than ${maxDepth} levels deep (at ${where})`;
    if (isArray) {
      const arr = v as unknown[];
      for (let i = arr.length - 1; i >= 0; i--) {
        // Holes read as undefined; JSON would turn them into null, changing the value.
        stack.push({ value: i in arr ? arr[i] : undefined, depth: item.depth + 1, path: `${item.path}[${i}]` });
      }
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
        stack.push({ value: child, depth: item.depth + 1, path: item.path === '' ? segment : `${item.path}.${segment}` });
      }
    }
  }
  return undefined;
}
