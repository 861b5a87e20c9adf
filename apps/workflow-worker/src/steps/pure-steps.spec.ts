import { evaluateExpression } from '../engine/evaluate';
import { StepExpressionError } from '../engine/step-expression-error';
import { isTruthy } from './branch';
import { assignAtPath } from './set';

const scope = { context: { lead: { name: 'Ada', employees: 120 } }, steps: { enrich: { company: 'Acme' } }, run: { runId: 'r', workflowId: 'w', triggerId: 't', userId: 'u' } };

describe('evaluateExpression (JSONata over the step scope)', () => {
  it('reads context, earlier outputs and run ids, and returns plain JSON', async () => {
    expect(await evaluateExpression('context.lead.employees > 100', scope, 's', 'condition')).toBe(true);
    expect(await evaluateExpression('steps.enrich.company & "/" & run.userId', scope, 's', 'x')).toBe('Acme/u');
    expect(await evaluateExpression('[1..3].($ * 2)', scope, 's', 'x')).toEqual([2, 4, 6]);
    expect(await evaluateExpression('context.missing', scope, 's', 'x')).toBeNull();
  });

  it('throws StepExpressionError naming step and field', async () => {
    const err = await evaluateExpression('$nope()', scope, 'score', 'values.lead.score').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepExpressionError);
    expect((err as Error).message).toMatch(/^step "score" values\.lead\.score: /);
  });

  it('stops a runaway recursion (guardrails) with an error, not a hang', async () => {
    const err = await evaluateExpression('($f := function($x) { $f($x + 1) }; $f(0))', scope, 'loop', 'condition').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepExpressionError);
  });
});

describe('assignAtPath', () => {
  it('sets a dotted path in a copy, making intermediate objects', () => {
    const context = { lead: { name: 'Ada' }, n: 1 };
    expect(assignAtPath(context, 'lead.score', 5)).toEqual({ lead: { name: 'Ada', score: 5 }, n: 1 });
    expect(assignAtPath(context, 'n.deep', true)).toEqual({ lead: { name: 'Ada' }, n: { deep: true } });
    expect(context).toEqual({ lead: { name: 'Ada' }, n: 1 });
  });

  it('refuses paths that would reach a prototype', () => {
    expect(() => assignAtPath({}, '__proto__.polluted', 1)).toThrow(/not a usable context path/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('isTruthy (JSONata $boolean rules)', () => {
  it.each([
    [null, false],
    [false, false],
    [0, false],
    ['', false],
    [{}, false],
    [[], false],
    [[0, ''], false],
    [[0, 1], true],
    ['no', true],
    [{ a: 1 }, true],
    [-1, true],
  ])('%j → %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });
});
