import type { WorkflowDefinitionInput } from '@jobs/queue-contracts';
import { waitFor } from '@jobs/test-support';
import { createWaitForEventStep } from '../steps/wait-for-event';
import { startWorkflowHarness, type WorkflowHarness } from '../test-support/workflow-harness';
import type { StepKind } from './step-kind';

describe('runWorkflow: waits suspend the job and resume it', () => {
  let h: WorkflowHarness;
  beforeEach(async () => {
    h = await startWorkflowHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const replyFlow: WorkflowDefinitionInput = {
    workflowId: 'reply',
    steps: [
      { id: 'reply', kind: 'wait_for_event', event: 'email_replied', timeoutMs: 2000, onEvent: 'replied', onTimeout: 'silent' },
      { id: 'replied', kind: 'end', output: '{ "replied": true, "subject": steps.reply.payload.subject }' },
      { id: 'silent', kind: 'end', output: '{ "replied": false }' },
    ],
  };

  it('wait 1 s: the job is delayed meanwhile (no slot), then resumes and completes', async () => {
    await h.save({ workflowId: 'pause', steps: [{ id: 'nap', kind: 'wait', durationMs: 1000 }, { id: 'done', kind: 'end', output: '"awake"' }] });
    const worker = h.startWorker();
    const { runId, jobId } = await h.trigger('pause', 't1');
    const waiting = await waitFor('the run to wait', async () => {
      const run = await h.client.getWorkflowRun(runId);
      return run?.status === 'waiting' ? run : undefined;
    });
    expect(waiting.steps[0]).toMatchObject({ stepId: 'nap', status: 'waiting', attempts: 1 });
    expect(waiting.steps[0]?.waitUntil).toBe((waiting.steps[0]?.startedAt ?? 0) + 1000);
    const job = await h.queue.getJob(jobId);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.progress).toEqual({ stepId: 'nap', executedSteps: 1 });
    expect(worker.activeJobCount()).toBe(0);
    const result = await h.resultOf(jobId);
    expect(result?.steps).toEqual([
      { stepId: 'nap', status: 'completed', output: { until: new Date(waiting.steps[0]?.waitUntil ?? 0).toISOString() } },
      { stepId: 'done', status: 'completed', output: 'awake' },
    ]);
  });

  it('wait_for_event signalled while waiting takes onEvent with the payload', async () => {
    await h.save(replyFlow);
    h.startWorker();
    const { runId, jobId } = await h.trigger('reply', 't1');
    await waitFor('the run to wait', async () => (await h.client.getWorkflowRun(runId))?.status === 'waiting');
    expect(await h.client.signalWorkflowRun(runId, 'email_replied', { subject: 'Re: hello' })).toEqual({ delivered: true });
    expect(await h.client.signalWorkflowRun(runId, 'email_replied', { subject: 'second' })).toEqual(expect.objectContaining({ delivered: false }));
    const result = await h.resultOf(jobId);
    expect(result?.steps.map((s) => s.stepId)).toEqual(['reply', 'replied']);
    expect(result?.steps[0]?.output).toEqual({ received: true, payload: { subject: 'Re: hello' } });
    expect(result?.output).toEqual({ replied: true, subject: 'Re: hello' });
  });

  it('wait_for_event signalled before the step started counts at once', async () => {
    await h.save(replyFlow);
    const { runId, jobId } = await h.trigger('reply', 't2');
    await h.client.signalWorkflowRun(runId, 'email_replied', { subject: 'early' });
    h.startWorker();
    expect((await h.resultOf(jobId))?.output).toEqual({ replied: true, subject: 'early' });
  });

  it('an event signalled between the step reading the events and the job moving to delayed is not lost (the race fix)', async () => {
    // The step reads no event, then — before the engine moves the job to delayed — the event
    // lands without a promote (as a signal whose promote found the job still active would).
    const real = createWaitForEventStep({ redis: h.redis, prefix: h.prefix });
    const racing: StepKind = {
      kind: 'wait_for_event',
      async run(input) {
        const result = await real.run(input as never);
        if (result.type === 'suspend') {
          await h.redis.hsetnx(`${h.prefix}:workflow:run:${input.runId}:events`, 'email_replied', JSON.stringify({ payload: { subject: 'raced' }, at: Date.now() }));
        }
        return result;
      },
    };
    await h.save({ ...replyFlow, steps: [{ ...replyFlow.steps[0], timeoutMs: 3_600_000 } as (typeof replyFlow.steps)[number], ...replyFlow.steps.slice(1)] });
    h.startWorker({ stepKinds: [racing] });
    const { jobId } = await h.trigger('reply', 't-race');
    // Without the re-check the run would sleep for the hour-long timeout.
    expect((await h.resultOf(jobId))?.output).toEqual({ replied: true, subject: 'raced' });
  });

  it('wait_for_event without a signal takes onTimeout after timeoutMs', async () => {
    await h.save(replyFlow);
    h.startWorker();
    const { jobId } = await h.trigger('reply', 't3');
    const result = await h.resultOf(jobId);
    expect(result?.steps).toEqual([
      { stepId: 'reply', status: 'completed', output: { received: false } },
      { stepId: 'silent', status: 'completed', output: { replied: false } },
    ]);
  });

  it('cancel during a wait ends the run cancelled at once (the delayed job is promoted)', async () => {
    await h.save({ workflowId: 'long', steps: [{ id: 'nap', kind: 'wait', durationMs: 3_600_000 }, { id: 'done', kind: 'end' }] });
    h.startWorker();
    const { runId, jobId } = await h.trigger('long', 't1');
    await waitFor('the run to wait', async () => (await h.client.getWorkflowRun(runId))?.status === 'waiting');
    expect(await h.client.cancelWorkflowRun(runId)).toMatchObject({ found: true });
    const result = await h.resultOf(jobId);
    expect(result).toEqual({ runId, status: 'cancelled', steps: [{ stepId: 'nap', status: 'cancelled' }] });
    const record = await h.client.getWorkflowRun(runId);
    expect(record?.status).toBe('cancelled');
    expect(record?.steps[0]?.endedAt).toBeDefined();
  });

  it('a wait until an expression time in the past completes at once; a bad time fails the step naming it', async () => {
    await h.save({
      workflowId: 'until',
      steps: [
        { id: 'past', kind: 'wait', until: '"2020-01-01T00:00:00Z"' },
        { id: 'bad', kind: 'wait', until: 'context.notADate' },
      ],
    });
    h.startWorker();
    const { jobId } = await h.trigger('until', 't1', { notADate: 'tomorrow-ish' });
    const result = await h.resultOf(jobId);
    expect(result?.steps[0]).toEqual({ stepId: 'past', status: 'completed', output: { until: '2020-01-01T00:00:00.000Z' } });
    expect(result?.steps[1]).toEqual({ stepId: 'bad', status: 'failed', error: 'step "bad" until: "tomorrow-ish" is not an ISO 8601 time' });
    expect(result?.status).toBe('failed');
  });

  it('a run older than limits.maxRunAgeMs fails naming the limit (a wait wakes at the limit)', async () => {
    await h.save({ workflowId: 'old', limits: { maxRunAgeMs: 1500 }, steps: [{ id: 'nap', kind: 'wait', durationMs: 3_600_000 }, { id: 'done', kind: 'end' }] });
    h.startWorker();
    const { runId, jobId } = await h.trigger('old', 't1');
    expect((await h.resultOf(jobId))?.status).toBe('failed');
    const record = await h.client.getWorkflowRun(runId);
    expect(record?.error).toBe('run exceeded limits.maxRunAgeMs (1500 ms)');
    expect(record?.steps[0]).toMatchObject({ stepId: 'nap', status: 'failed' });
  });
});
