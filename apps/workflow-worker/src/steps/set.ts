import type { JsonObject, JsonValue } from '@jobs/queue-contracts';
import type { StepKind, StepOfKind } from '../engine/step-kind';

/** Path segments that would reach an object's prototype instead of a property. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Returns a copy of `context` with `value` at the dotted `path` (`lead.score` → context.lead.score);
 * missing or non-object intermediate values become objects.
 * @throws Error when a segment is empty or one of `__proto__`, `prototype`, `constructor`.
 */
export function assignAtPath(context: JsonObject, path: string, value: JsonValue): JsonObject {
  const segments = path.split('.');
  for (const segment of segments) {
    if (segment === '' || FORBIDDEN_SEGMENTS.has(segment)) throw new Error(`"${path}" is not a usable context path (segment "${segment}")`);
  }
  const assign = (target: JsonValue | undefined, depth: number): JsonObject => {
    const copy: JsonObject = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
    const key = segments[depth] as string;
    copy[key] = depth === segments.length - 1 ? value : assign(copy[key], depth + 1);
    return copy;
  };
  return assign(context, 0);
}

/**
 * `set`: evaluates each of `values` (dotted context path → JSONata expression) over the scope
 * as it was when the step started, and assigns the results into the run's context, in the
 * order written. Output: the assigned values by path.
 */
export const setStep: StepKind<StepOfKind<'set'>> = {
  kind: 'set',
  async run({ step, scope, evaluate }) {
    let context = scope.context;
    const output: JsonObject = {};
    for (const [path, expression] of Object.entries(step.values)) {
      const value = await evaluate(expression, `values.${path}`);
      try {
        context = assignAtPath(context, path, value);
      } catch (err) {
        return { type: 'failed', error: (err as Error).message, retryable: false };
      }
      output[path] = value;
    }
    return { type: 'completed', output, context };
  },
};
