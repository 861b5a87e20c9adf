import { waitFor } from '@jobs/test-support';
import { startWorkflowHarness, type WorkflowHarness } from '../test-support/workflow-harness';

describe('runWorkflow: a run stays on the definition version it started with', () => {
  let h: WorkflowHarness;
  beforeEach(async () => {
    h = await startWorkflowHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const version = (label: string, waitMs: number) => ({
    workflowId: 'greet',
    steps: [
      { id: 'nap', kind: 'wait' as const, durationMs: waitMs },
      { id: 'done', kind: 'end' as const, output: `"${label}"` },
    ],
  });

  it('editing a definition while runs wait leaves them on their pinned version; new runs take the new one', async () => {
    expect(await h.save(version('v1', 1500))).toBe(1);
    h.startWorker();
    const waiting = await Promise.all(['a', 'b', 'c'].map((t) => h.trigger('greet', t)));
    for (const { runId } of waiting) await waitFor(`run ${runId} to wait`, async () => (await h.client.getWorkflowRun(runId))?.status === 'waiting');

    expect(await h.save(version('v2', 0))).toBe(2);
    const fresh = await h.trigger('greet', 'd');

    for (const { runId, jobId } of waiting) {
      expect((await h.resultOf(jobId))?.output).toBe('v1');
      expect((await h.client.getWorkflowRun(runId))?.definitionVersion).toBe(1);
    }
    expect((await h.resultOf(fresh.jobId))?.output).toBe('v2');
    expect((await h.client.getWorkflowRun(fresh.runId))?.definitionVersion).toBe(2);
  });
});
