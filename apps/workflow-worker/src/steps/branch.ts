import type { JsonValue } from '@jobs/queue-contracts';
import type { StepKind, StepOfKind } from '../engine/step-kind';

/**
 * Truthiness of a JSON value, JSONata's `$boolean` rules: false for null, false, 0, '', an
 * empty object and an array none of whose items is truthy; true otherwise.
 */
export function isTruthy(value: JsonValue): boolean {
  if (value === null) return false;
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** `branch`: evaluates `condition`; goes to `then` when it is truthy, else to `else`. Output `{ result }`. */
export const branchStep: StepKind<StepOfKind<'branch'>> = {
  kind: 'branch',
  async run({ step, evaluate }) {
    const result = isTruthy(await evaluate(step.condition, 'condition'));
    return { type: 'completed', output: { result }, next: result ? step.then : step.else };
  },
};
