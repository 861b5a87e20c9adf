import type { StepKind } from './step-kind';
import { startWorkflowHarness, type WorkflowHarness } from '../test-support/workflow-harness';

/** A JSONata object literal nested `levels` deep: {"x":{"x":...1...}}. */
const nestedLiteral = (levels: number): string => '{"x":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('runWorkflow: unbounded step outcomes fail the step and are not journaled (real worker, real Redis)', () => {
  let h: WorkflowHarness;
  afterEach(async () => {
    await h.close();
  });

  it('a set whose value makes the context larger than 64 KiB fails (not retried) naming the step and the limit; onError runs; nothing large is journaled', async () => {
    h = await startWorkflowHarness();
    await h.save({
      workflowId: 'big-set',
      steps: [
        { id: 'fill', kind: 'set', values: { blob: '$pad("", 70000, "x")' }, retry: { attempts: 3 }, onError: 'fallback' },
        { id: 'ok', kind: 'end', output: '"stored"' },
        { id: 'fallback', kind: 'end', output: '"refused"' },
      ],
    });
    h.startWorker();
    const { runId } = await h.trigger('big-set', 't-1');
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', output: 'refused' });
    expect(run.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual([
      ['fill', 'failed', 1],
      ['fallback', 'completed', 1],
    ]);
    expect(run.steps[0]?.error).toMatch(/^step "fill" would leave the run's context unusable: .*65536 bytes.*MAX_CONTEXT_BYTES/);
    expect(run.context).toEqual({});
    expect(Buffer.byteLength(JSON.stringify(run))).toBeLessThan(4096);
  });

  it('a set that nests the context deeper than 32 levels fails the run naming the step and the depth, and the record stays readable', async () => {
    h = await startWorkflowHarness();
    await h.save({ workflowId: 'deep-set', steps: [{ id: 'deep', kind: 'set', values: { 'a.b': nestedLiteral(33) } }] });
    h.startWorker();
    const { runId } = await h.trigger('deep-set', 't-1');
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^step "deep" failed: step "deep" would leave the run's context unusable: .*nested more than 32 levels deep/);
    expect(run.context).toEqual({});
  });

  it('an end whose output is larger than 64 KiB fails the run naming the step and the output limit', async () => {
    h = await startWorkflowHarness();
    await h.save({ workflowId: 'big-end', steps: [{ id: 'done', kind: 'end', output: '{ "blob": $pad("", 70000, "y") }' }] });
    h.startWorker();
    const { runId } = await h.trigger('big-end', 't-1');
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^step "done" failed: step "done" output is 700\d\d bytes as JSON; at most 65536/);
    expect(run.output).toBeUndefined();
    expect(run.steps[0]?.output).toBeUndefined();
  });

  it('outputs that together would grow the record past WORKFLOW_MAX_RUN_RECORD_BYTES fail the step that would cross it', async () => {
    h = await startWorkflowHarness({ WORKFLOW_MAX_RUN_RECORD_BYTES: String(256 * 1024) });
    // 60 KiB per step: within the per-step bound; the fifth would take the record past 256 KiB.
    const chunky: StepKind = { kind: 'http_request', run: async () => ({ type: 'completed', output: { body: 'z'.repeat(60 * 1024) } }) };
    await h.save({
      workflowId: 'growing',
      steps: ['s1', 's2', 's3', 's4', 's5', 's6'].map((id) => ({ id, kind: 'http_request' as const, method: 'GET' as const, url: '"https://example.com/"' })),
    });
    h.startWorker({ stepKinds: [chunky] });
    const { runId } = await h.trigger('growing', 't-1');
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['s1', 'completed'],
      ['s2', 'completed'],
      ['s3', 'completed'],
      ['s4', 'completed'],
      ['s5', 'failed'],
    ]);
    expect(run.error).toMatch(/^step "s5" failed: step "s5" would grow the run's record to about \d+ bytes as JSON; at most 262144 \(WORKFLOW_MAX_RUN_RECORD_BYTES\)/);
    expect(Buffer.byteLength(JSON.stringify(run))).toBeLessThanOrEqual(256 * 1024);
  });
});
