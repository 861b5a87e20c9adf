import { Job, Worker } from 'bullmq';
import { testRedisUrl, waitFor } from '@jobs/test-support';
import { createLogger, createQueueWorker, type QueueWorker } from '@jobs/worker-kit';
import { createWorkflowApp, type WorkflowApp } from '../../create-workflow-app';
import { startWorkflowHarness, type WorkflowHarness } from '../../test-support/workflow-harness';
import { scheduleStepDeadline, stepDeadlineJobId } from './step-deadline';

const url = testRedisUrl();
const CALL_INPUT = '{ "callId": "c-1", "phoneNumber": "+14155550123", "assistantId": "a-1" }';
const CALL_RESULT = { callId: 'c-1', status: 'completed' };

describe('job step deadline timer (WORKFLOW_STEP_DEADLINE) driven by the workflow engine (real Redis, real workers)', () => {
  let h: WorkflowHarness;
  let app: WorkflowApp | undefined;
  const workers: (Worker | QueueWorker)[] = [];
  /** Lets a held child job finish (so its worker can close). */
  let releaseHeld: () => void = () => undefined;

  beforeEach(async () => {
    h = await startWorkflowHarness();
  });
  afterEach(async () => {
    releaseHeld();
    await Promise.all(workers.splice(0).map((w) => (w instanceof Worker ? w.close() : w.close(1000))));
    await app?.close();
    app = undefined;
    await h.close();
  });

  /** The workflow worker as main.ts wires it: the app's handlers (the run and its deadline timers). */
  function startWorkflowWorker(): QueueWorker {
    app = createWorkflowApp(h.config, { redis: h.redis });
    const worker = createQueueWorker({
      queue: 'workflow',
      handlers: app.handlers,
      config: h.config.worker,
      log: createLogger({ level: 'silent' }),
    });
    workers.push(worker);
    return worker;
  }

  /** A real worker on queue voice of the harness's prefix. */
  function voiceWorker(processor: (job: Job) => Promise<unknown>): Worker {
    const worker = new Worker('voice', processor, { connection: { url }, prefix: h.prefix });
    workers.push(worker);
    return worker;
  }

  /** The timer job of `childJobId` once it finished. */
  async function finishedTimer(childJobId: string): Promise<Job> {
    return waitFor(`the deadline timer of ${childJobId} to finish`, async () => {
      const timer = await Job.fromId(h.queue, stepDeadlineJobId(childJobId));
      return timer?.finishedOn ? timer : undefined;
    });
  }

  it('a call that never starts: the run waits holding no slot, the timer removes the call at the deadline, and the run takes onError with a timeout error', async () => {
    await h.save({
      workflowId: 'wf',
      steps: [
        { id: 'call', kind: 'place_call', input: CALL_INPUT, timeoutMs: 1500, retry: { attempts: 1 }, onError: 'fallback' },
        { id: 'ok', kind: 'end', output: '"called"' },
        { id: 'fallback', kind: 'end', output: '"no call"' },
      ],
    });
    startWorkflowWorker(); // no voice worker: the call waits forever
    const { runId, jobId } = await h.trigger('wf', 't-1');
    const childJobId = `wf-${runId}-call-1`;
    await waitFor('the run waiting for its call', async () => (await h.queue.getJobState(jobId)) === 'waiting-children');
    expect(await h.queue.getActiveCount()).toBe(0);
    expect(await h.queue.getJobState(stepDeadlineJobId(childJobId))).toBe('delayed');

    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', output: 'no call' });
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['call', 'failed'],
      ['fallback', 'completed'],
    ]);
    expect(run.steps[0]?.error).toBe(`voice job ${childJobId} did not finish within 1500 ms (removed before it started)`);
    expect(await h.producer.queue('voice').getJob(childJobId)).toBeUndefined();
    expect((await finishedTimer(childJobId)).returnvalue).toEqual({ outcome: 'detached' });
  });

  it("a call with no timeoutMs in a run past limits.maxRunAgeMs: the timer fires at the run's age limit, removes the call, and the run fails naming maxRunAgeMs", async () => {
    await h.save({ workflowId: 'wf', limits: { maxRunAgeMs: 2000 }, steps: [{ id: 'call', kind: 'place_call', input: CALL_INPUT }] });
    startWorkflowWorker(); // no voice worker: without the timer the run would wait for ever
    const { runId, jobId } = await h.trigger('wf', 't-1');
    const childJobId = `wf-${runId}-call-1`;
    await waitFor('the run waiting for its call', async () => (await h.queue.getJobState(jobId)) === 'waiting-children');
    expect(await h.queue.getJobState(stepDeadlineJobId(childJobId))).toBe('delayed');

    const run = await h.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('run exceeded limits.maxRunAgeMs (2000 ms)');
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([['call', 'failed']]);
    expect(await h.producer.queue('voice').getJob(childJobId)).toBeUndefined();
    expect((await finishedTimer(childJobId)).returnvalue).toEqual({ outcome: 'detached' });
    expect(await h.queue.getJobState(jobId)).toBe('completed');
  });

  it('a call held running past the deadline: the timer unlinks it, the run fails the step as timed out (not retried) and the call runs on unawaited', async () => {
    await h.save({ workflowId: 'wf', steps: [{ id: 'call', kind: 'place_call', input: CALL_INPUT, timeoutMs: 1500, retry: { attempts: 3, backoffMs: 50 } }] });
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    const started: string[] = [];
    voiceWorker(async (job) => {
      started.push(job.id as string);
      await held;
      return CALL_RESULT;
    });
    startWorkflowWorker();
    const { runId, jobId } = await h.trigger('wf', 't-1');
    const childJobId = `wf-${runId}-call-1`;
    await waitFor('the call to start', async () => started.length === 1);
    expect(await h.queue.getJobState(jobId)).toBe('waiting-children');

    const run = await h.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0]).toMatchObject({ stepId: 'call', status: 'failed', attempts: 1 });
    expect(run.steps[0]?.error).toBe(`voice job ${childJobId} did not finish within 1500 ms (still running, no longer awaited)`);
    expect((await finishedTimer(childJobId)).returnvalue).toEqual({ outcome: 'detached' });
    expect(started).toEqual([childJobId]);

    releaseHeld();
    await waitFor('the unawaited call to complete', async () => (await h.producer.queue('voice').getJobState(childJobId)) === 'completed');
    expect((await h.client.getWorkflowRun(runId))?.status).toBe('failed');
    expect(await h.queue.getJobState(jobId)).toBe('completed');
  });

  it('a call that finishes before the deadline: the run completes with its result, and its timer is removed', async () => {
    await h.save({
      workflowId: 'wf',
      steps: [
        { id: 'call', kind: 'place_call', input: CALL_INPUT, timeoutMs: 2000 },
        { id: 'done', kind: 'end', output: 'steps.call' },
      ],
    });
    voiceWorker(async () => CALL_RESULT);
    startWorkflowWorker();
    const { runId } = await h.trigger('wf', 't-1');
    const childJobId = `wf-${runId}-call-1`;
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', output: CALL_RESULT });

    expect(await Job.fromId(h.queue, stepDeadlineJobId(childJobId))).toBeUndefined();
    expect(await h.queue.getDelayedCount()).toBe(0);
    expect(await h.client.getWorkflowRun(runId)).toEqual(run);
    expect(await h.producer.queue('voice').getJobState(childJobId)).toBe('completed');
  });

  it('scheduling is idempotent per child (a step re-run after a crash adds no second timer), and a timer whose run is gone says so', async () => {
    const deadline = { runId: 'run-x', runJobId: 'wfrun-run-x', stepId: 'call', childQueue: 'voice', childJobId: 'wf-run-x-call-1', atMs: Date.now() + 60_000 };
    const first = await scheduleStepDeadline(h.producer, deadline);
    const second = await scheduleStepDeadline(h.producer, { ...deadline, atMs: deadline.atMs + 1000 });
    expect(first.alreadyExisted).toBe(false);
    expect(second).toMatchObject({ id: first.id, alreadyExisted: true });
    expect(await h.queue.getDelayedCount()).toBe(1);

    startWorkflowWorker();
    await (await Job.fromId(h.queue, stepDeadlineJobId(deadline.childJobId)))?.promote();
    expect((await finishedTimer(deadline.childJobId)).returnvalue).toEqual({ outcome: 'run-gone' });
  });
});
