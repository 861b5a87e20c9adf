import { startThrowawayRedis, waitFor, type ThrowawayRedis } from '@jobs/test-support';
import { startWorkflowHarness, type WorkflowHarness } from '../test-support/workflow-harness';

const RUNS = 1000;
/**
 * A workflow activation is a handful of Redis round trips and little CPU, so it is bound by
 * Redis latency: on a shared 2-core machine 5 slots resume about 250 runs/s, fewer than 1 000
 * runs with 1-3 s waits need. 50 slots overlap the latency; waiting runs hold none of them.
 */
const CONCURRENCY = 50;

/** One atomic snapshot of the workflow queue (getJobCounts is one Redis script). */
interface Snapshot {
  readonly active: number;
  readonly wait: number;
  readonly delayed: number;
  readonly completed: number;
}

describe('1 000 concurrent runs with a 1 s wait and an event wait', () => {
  let redis: ThrowawayRedis;
  let h: WorkflowHarness;
  beforeAll(async () => {
    // A private Redis (the shared one carries every other suite's load); no limiter.
    redis = await startThrowawayRedis();
    h = await startWorkflowHarness({ WORKER_CONCURRENCY: String(CONCURRENCY) }, { redisUrl: redis.url });
  });
  afterAll(async () => {
    await h.close();
    await redis.stop();
  });

  it('all complete; half take onEvent, half time out; while runs wait, no job is active', async () => {
    await h.save({
      workflowId: 'nurture',
      steps: [
        { id: 'pause', kind: 'wait', durationMs: 1000 },
        { id: 'reply', kind: 'wait_for_event', event: 'email_replied', timeoutMs: 2000, onEvent: 'replied', onTimeout: 'silent' },
        { id: 'replied', kind: 'end', output: '"replied"' },
        { id: 'silent', kind: 'end', output: '"silent"' },
      ],
    });
    const added = await h.producer.addBulk(
      'WORKFLOW_EXECUTION',
      Array.from({ length: RUNS }, (_, i) => ({ data: { userId: 'u', workflowId: 'nurture', triggerId: `lead-${i}`, context: { i } } })),
    );
    const runIds = added.map((job) => (job.id as string).replace(/^wfrun-/, ''));
    h.startWorker();

    // Until every run completed: snapshot the queue, and signal each even run once its record
    // says it waits for the event (the odd ones run into their 2 s timeout).
    const snapshots: Snapshot[] = [];
    const signalled = new Set<number>();
    await waitFor(
      'every run to complete',
      async () => {
        const counts = await h.queue.getJobCounts('active', 'wait', 'delayed', 'completed');
        snapshots.push({ active: counts['active'] ?? -1, wait: counts['wait'] ?? -1, delayed: counts['delayed'] ?? -1, completed: counts['completed'] ?? -1 });
        const waitingForEvent = await runsWaitingFor(h, runIds, 'reply');
        const toSignal = waitingForEvent.filter((i) => i % 2 === 0 && !signalled.has(i));
        for (const i of toSignal) signalled.add(i);
        const answers = await Promise.all(toSignal.map((i) => h.client.signalWorkflowRun(runIds[i] as string, 'email_replied', { i })));
        expect(answers.every((a) => a.delivered)).toBe(true);
        return counts['completed'] === RUNS;
      },
      { timeoutMs: 240_000, intervalMs: 100 },
    );

    const results = await Promise.all(added.map(async (job) => (await h.queue.getJob(job.id as string))?.returnvalue as { status: string; output: string }));
    expect(results.filter((r) => r.status === 'completed')).toHaveLength(RUNS);
    expect(results.filter((r, i) => i % 2 === 0 && r.output === 'replied')).toHaveLength(RUNS / 2);
    expect(results.filter((r, i) => i % 2 === 1 && r.output === 'silent')).toHaveLength(RUNS / 2);
    expect(signalled.size).toBe(RUNS / 2);
    expect(await h.queue.getJobCounts('failed', 'waiting-children', 'delayed', 'active', 'wait')).toEqual({
      failed: 0,
      'waiting-children': 0,
      delayed: 0,
      active: 0,
      wait: 0,
    });

    // Waiting runs are delayed jobs, not held slots. Far more runs waited at once than there are
    // slots; and in every snapshot where all unfinished runs were in a wait (on this shared
    // machine the start-up of 1 000 runs may outlast the first waits, so such moments come when
    // the worker has caught up), the active count was 0.
    const peakWaiting = Math.max(...snapshots.map((s) => s.delayed));
    expect(peakWaiting).toBeGreaterThan(CONCURRENCY * 4);
    expect(snapshots.every((s) => s.active <= CONCURRENCY)).toBe(true);
    const duringWaits = snapshots.filter((s) => s.completed < RUNS && s.delayed === RUNS - s.completed);
    expect(duringWaits.length).toBeGreaterThan(0);
    expect(duringWaits.map((s) => s.active)).toEqual(duringWaits.map(() => 0));
  }, 300_000);
});

/** Indexes of the runs whose record says they wait in step `stepId`. */
async function runsWaitingFor(h: WorkflowHarness, runIds: string[], stepId: string): Promise<number[]> {
  const found: number[] = [];
  for (let from = 0; from < runIds.length; from += 250) {
    const values = await h.redis.mget(...runIds.slice(from, from + 250).map((id) => `${h.prefix}:workflow:run:${id}`));
    values.forEach((value, k) => {
      if (!value) return;
      const record = JSON.parse(value) as { status: string; currentStepId?: string };
      if (record.status === 'waiting' && record.currentStepId === stepId) found.push(from + k);
    });
  }
  return found;
}
