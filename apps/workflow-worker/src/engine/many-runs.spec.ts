import { waitFor } from '@jobs/test-support';
import { startWorkflowHarness, type WorkflowHarness } from '../test-support/workflow-harness';

const RUNS = 1000;

describe('1 000 concurrent runs with a 1 s wait and an event wait', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    // The app's concurrency (5) and no limiter: a waiting run holds no slot, so 5 slots carry them all.
    h = await startWorkflowHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('all complete; half take onEvent, half time out; no job is active while they wait', async () => {
    await h.save({
      workflowId: 'nurture',
      steps: [
        { id: 'pause', kind: 'wait', durationMs: 1000 },
        { id: 'reply', kind: 'wait_for_event', event: 'email_replied', timeoutMs: 2000, onEvent: 'replied', onTimeout: 'silent' },
        { id: 'replied', kind: 'end', output: '"replied"' },
        { id: 'silent', kind: 'end', output: '"silent"' },
      ],
    });
    const runs = await h.producer.addBulk(
      'WORKFLOW_EXECUTION',
      Array.from({ length: RUNS }, (_, i) => ({ data: { userId: 'u', workflowId: 'nurture', triggerId: `lead-${i}`, context: { i } } })),
    );
    const jobIds = runs.map((job) => job.id as string);
    expect(new Set(jobIds).size).toBe(RUNS);
    const worker = h.startWorker();

    // Every run reaches its waits: sample the queue while they wait.
    const activeSamples: number[] = [];
    const workerActive: number[] = [];
    await waitFor(
      'every run to be in the event wait',
      async () => {
        const counts = await h.queue.getJobCounts('active', 'delayed', 'waiting', 'completed');
        if (counts['delayed'] === RUNS) {
          activeSamples.push((await h.queue.getJobCounts('active'))['active'] ?? -1);
          workerActive.push(worker.activeJobCount());
        }
        const reachedEvent = counts['delayed'] === RUNS && (await readReplyWaits(h, jobIds)) === RUNS;
        return reachedEvent;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    for (let i = 0; i < 5; i += 1) {
      activeSamples.push((await h.queue.getJobCounts('active'))['active'] ?? -1);
      workerActive.push(worker.activeJobCount());
    }
    expect(activeSamples.length).toBeGreaterThanOrEqual(5);
    expect(new Set(activeSamples)).toEqual(new Set([0]));
    expect(new Set(workerActive)).toEqual(new Set([0]));

    // Signal the even runs while the odd ones run into their 2 s timeout.
    const signalled = await Promise.all(
      jobIds.filter((_, i) => i % 2 === 0).map((jobId) => h.client.signalWorkflowRun(jobId.replace(/^wfrun-/, ''), 'email_replied', { at: 'now' })),
    );
    expect(signalled.every((s) => s.delivered)).toBe(true);

    await waitFor('every run to complete', async () => (await h.queue.getJobCounts('completed'))['completed'] === RUNS, { timeoutMs: 120_000, intervalMs: 200 });
    const outputs = await Promise.all(jobIds.map(async (jobId) => (await h.queue.getJob(jobId))?.returnvalue as { status: string; output: string }));
    expect(outputs.filter((o) => o.status === 'completed')).toHaveLength(RUNS);
    expect(outputs.filter((_, i) => i % 2 === 0).every((o) => o.output === 'replied')).toBe(true);
    expect(outputs.filter((_, i) => i % 2 === 1).every((o) => o.output === 'silent')).toBe(true);
    expect(await h.queue.getJobCounts('failed', 'waiting-children', 'delayed', 'active')).toEqual({ failed: 0, 'waiting-children': 0, delayed: 0, active: 0 });
  }, 300_000);
});

/** How many of the runs journaled their event wait (step `reply` waiting). */
async function readReplyWaits(h: WorkflowHarness, jobIds: string[]): Promise<number> {
  const keys = jobIds.map((id) => `${h.prefix}:workflow:run:${id.replace(/^wfrun-/, '')}`);
  let waiting = 0;
  for (let i = 0; i < keys.length; i += 200) {
    const values = await h.redis.mget(...keys.slice(i, i + 200));
    for (const value of values) {
      if (value && (JSON.parse(value) as { currentStepId?: string; status: string }).currentStepId === 'reply' && JSON.parse(value).status === 'waiting') waiting += 1;
    }
  }
  return waiting;
}
