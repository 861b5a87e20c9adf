import jsonata from 'jsonata';
import type { JsonValue } from '@jobs/queue-contracts';
import type { StepScope } from './step-kind';
import { StepExpressionError } from './step-expression-error';

/**
 * Guardrails of every evaluation (jsonata's own options): at most 1 s of evaluation, a call
 * stack of 500 frames and sequences of 100 000 items, so a definition cannot hold a worker slot
 * with a runaway recursion or a huge range.
 */
export const EVALUATION_LIMITS = Object.freeze({ timeout: 1000, stack: 500, sequence: 100_000 });

/** Compiled expressions by source text; definitions are few and re-used by every run. */
const compiled = new Map<string, jsonata.Expression>();
const MAX_CACHED = 5000;

function compile(expression: string): jsonata.Expression {
  let expr = compiled.get(expression);
  if (!expr) {
    expr = jsonata(expression, EVALUATION_LIMITS);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(expression, expr);
  }
  return expr;
}

/**
 * Evaluates a JSONata expression over a step's scope (`{ context, steps, run }`) and returns
 * plain JSON: JSONata's sequences become arrays, `undefined` (nothing matched) becomes `null`,
 * functions are dropped. JSONata is an interpreter (no eval, no Function).
 * @param stepId - the step whose expression it is, named in errors.
 * @param field - the field holding it (`condition`, `values.lead.score` …), named in errors.
 * @throws StepExpressionError naming the step and field, with JSONata's message and position.
 */
export async function evaluateExpression(expression: string, scope: StepScope, stepId: string, field: string): Promise<JsonValue> {
  let value: unknown;
  try {
    value = await compile(expression).evaluate(scope);
  } catch (err) {
    throw new StepExpressionError(stepId, field, describeJsonataError(err), { cause: err });
  }
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch (err) {
    throw new StepExpressionError(stepId, field, `result is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

function describeJsonataError(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: string; code?: string; position?: number };
    const where = typeof e.position === 'number' ? ` (at character ${e.position})` : '';
    return `${e.code ? `${e.code} ` : ''}${e.message ?? String(err)}${where}`;
  }
  return String(err);
}
