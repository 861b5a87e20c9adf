import { DEFAULT_MAX_RUN_RECORD_BYTES, MAX_JOB_STEP_OUTPUT_BYTES, MAX_STEP_OUTPUT_BYTES, stepOutcomeProblem, type StepOutcome } from './step-outcome-bounds';

const base: StepOutcome = { stepId: 's', isEnd: false, output: undefined, context: undefined, previousContext: {}, recordBytes: 1000, maxRecordBytes: DEFAULT_MAX_RUN_RECORD_BYTES };
const nested = (levels: number): unknown => (levels === 0 ? 1 : { x: nested(levels - 1) });

describe('stepOutcomeProblem', () => {
  it('accepts ordinary outcomes, and outputs and contexts exactly at 64 KiB', () => {
    expect(stepOutcomeProblem({ ...base, output: { ok: true }, context: { a: 1 } })).toBeUndefined();
    const atLimit = 'x'.repeat(MAX_STEP_OUTPUT_BYTES - 2); // the quotes make it 65536 bytes of JSON
    expect(stepOutcomeProblem({ ...base, output: atLimit })).toBeUndefined();
    expect(stepOutcomeProblem({ ...base, output: `${atLimit}x` })).toBe(`step "s" output is 65537 bytes as JSON; at most 65536 (a step's output limit)`);
  });

  it("keeps a job step's output (its child's result) up to 1 MiB, not 64 KiB", () => {
    const big = 'x'.repeat(MAX_JOB_STEP_OUTPUT_BYTES - 2);
    expect(stepOutcomeProblem({ ...base, isJobStep: true, output: 'x'.repeat(200_000) })).toBeUndefined();
    expect(stepOutcomeProblem({ ...base, isJobStep: true, output: big })).toBeUndefined();
    expect(stepOutcomeProblem({ ...base, isJobStep: true, output: `${big}x` })).toBe(
      `step "s" output is ${MAX_JOB_STEP_OUTPUT_BYTES + 1} bytes as JSON; at most ${MAX_JOB_STEP_OUTPUT_BYTES} (a job step's output limit)`,
    );
  });

  it('refuses a context over 64 KiB or deeper than 32 levels, and an output deeper than 32 levels, naming the step', () => {
    expect(stepOutcomeProblem({ ...base, context: { big: 'x'.repeat(70_000) } })).toMatch(/^step "s" would leave the run's context unusable: it must be at most 65536 bytes as JSON \(was 700\d\d\)/);
    expect(stepOutcomeProblem({ ...base, context: nested(33) as never })).toMatch(/^step "s" would leave the run's context unusable: .*nested more than 32 levels deep/);
    expect(stepOutcomeProblem({ ...base, output: nested(32) as never })).toBeUndefined();
    expect(stepOutcomeProblem({ ...base, output: nested(33) as never })).toMatch(/^step "s" output must be plain JSON nested at most 32 levels: nested more than 32 levels deep/);
  });

  it("refuses an outcome that would take the record past its bound, counting an end's output twice and only the context's growth", () => {
    const output = 'y'.repeat(40_000);
    const max = 100_000;
    expect(stepOutcomeProblem({ ...base, recordBytes: 50_000, maxRecordBytes: max, output })).toBeUndefined();
    expect(stepOutcomeProblem({ ...base, recordBytes: 50_000, maxRecordBytes: max, output, isEnd: true })).toMatch(/^step "s" would grow the run's record to about 130260 bytes as JSON; at most 100000 \(WORKFLOW_MAX_RUN_RECORD_BYTES\)$/);
    const previousContext = { v: 'z'.repeat(60_000) };
    expect(stepOutcomeProblem({ ...base, recordBytes: 99_000, maxRecordBytes: max, previousContext, context: { ...previousContext, w: 1 } })).toBeUndefined();
  });
});
