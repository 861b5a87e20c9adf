import { workflowRunIdOf, type WorkflowDefinitionInput } from '@jobs/queue-contracts';
import { waitFor } from '@jobs/test-support';
import type { StepKind } from './step-kind';
import { startWorkflowHarness, TEST_USER, type WorkflowHarness } from '../test-support/workflow-harness';

describe('runWorkflow: pure steps (set, branch, end) on a real worker', () => {
  let h: WorkflowHarness;
  beforeEach(async () => {
    h = await startWorkflowHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const scoring: WorkflowDefinitionInput = {
    workflowId: 'score-lead',
    steps: [
      { id: 'score', kind: 'set', values: { 'lead.score': 'context.employees > 100 ? 80 : 20', 'lead.source': 'context.source' } },
      { id: 'hot', kind: 'branch', condition: 'context.lead.score >= 50', then: 'mark_hot', else: 'mark_cold' },
      { id: 'mark_hot', kind: 'set', values: { tier: '"hot"' }, next: 'done' },
      { id: 'mark_cold', kind: 'set', values: { tier: '"cold"' } },
      { id: 'done', kind: 'end', output: '{ "tier": context.tier, "score": steps.score.`lead.score`, "user": run.userId }' },
    ],
  };

  it('runs set → branch → set → end with the branch taken from the context, and journals every step', async () => {
    await h.save(scoring);
    h.startWorker();
    const { runId, jobId } = await h.trigger('score-lead', 'lead-42', { employees: 500, source: 'web' });
    const result = await h.resultOf(jobId);
    expect(result).toEqual({
      runId,
      status: 'completed',
      steps: [
        { stepId: 'score', status: 'completed', output: { 'lead.score': 80, 'lead.source': 'web' } },
        { stepId: 'hot', status: 'completed', output: { result: true } },
        { stepId: 'mark_hot', status: 'completed', output: { tier: 'hot' } },
        { stepId: 'done', status: 'completed', output: { tier: 'hot', score: 80, user: TEST_USER } },
      ],
      output: { tier: 'hot', score: 80, user: TEST_USER },
    });
    const record = await h.client.getWorkflowRun(runId);
    expect(record).toMatchObject({
      v: 1,
      runId,
      jobId,
      workflowId: 'score-lead',
      triggerId: 'lead-42',
      userId: TEST_USER,
      definitionVersion: 1,
      status: 'completed',
      executedSteps: 4,
      context: { employees: 500, source: 'web', lead: { score: 80, source: 'web' }, tier: 'hot' },
    });
    expect(record?.currentStepId).toBeUndefined();
    expect(record?.steps.map((s) => [s.stepId, s.kind, s.status, s.attempts, s.nextStepId])).toEqual([
      ['score', 'set', 'completed', 1, 'hot'],
      ['hot', 'branch', 'completed', 1, 'mark_hot'],
      ['mark_hot', 'set', 'completed', 1, 'done'],
      ['done', 'end', 'completed', 1, undefined],
    ]);
    for (const step of record?.steps ?? []) expect(step.endedAt).toBeGreaterThanOrEqual(step.startedAt);
    // Set while running, kept 30 days once ended.
    expect(await h.redis.pttl(`${h.prefix}:workflow:run:${runId}`)).toBeGreaterThan(29 * 86_400_000);
  });

  it('takes the else branch, and without an end step completes after the last step with no output', async () => {
    const [score, hot, markHot, markCold] = scoring.steps;
    await h.save({ ...scoring, steps: [score, hot, { ...markHot, next: undefined }, markCold] as WorkflowDefinitionInput['steps'] });
    h.startWorker();
    const { jobId } = await h.trigger('score-lead', 'lead-7', { employees: 3 });
    const result = await h.resultOf(jobId);
    expect(result?.status).toBe('completed');
    expect(result?.steps.map((s) => s.stepId)).toEqual(['score', 'hot', 'mark_cold']);
    expect(result?.output).toBeUndefined();
  });

  it('an end step with status failed fails the run; its output is kept', async () => {
    await h.save({ workflowId: 'w', steps: [{ id: 'stop', kind: 'end', status: 'failed', output: '"no budget"' }] });
    h.startWorker();
    const { runId, jobId } = await h.trigger('w', 't1');
    expect(await h.resultOf(jobId)).toEqual({ runId, status: 'failed', steps: [{ stepId: 'stop', status: 'completed', output: 'no budget' }], output: 'no budget' });
    expect((await h.client.getWorkflowRun(runId))?.error).toBe('ended by step "stop" with status failed');
  });

  it('an expression that fails at run time fails its step without retry, naming step and field, and takes onError', async () => {
    await h.save({
      workflowId: 'w',
      steps: [
        { id: 'bad', kind: 'set', values: { x: '$number("abc") + $undefinedFunction()' }, onError: 'recover' },
        { id: 'never', kind: 'end' },
        { id: 'recover', kind: 'end', output: '"recovered"' },
      ],
    });
    h.startWorker();
    const { jobId } = await h.trigger('w', 't1');
    const result = await h.resultOf(jobId);
    expect(result?.status).toBe('completed');
    expect(result?.output).toBe('recovered');
    expect(result?.steps[0]).toMatchObject({ stepId: 'bad', status: 'failed' });
    expect(result?.steps[0]?.error).toMatch(/^step "bad" values\.x: /);
    expect(result?.steps.map((s) => s.stepId)).toEqual(['bad', 'recover']);
    // Log lines of a run carry its runId, and its step's stepId.
    const runId = result?.runId;
    expect(h.logs).toContainEqual(expect.objectContaining({ msg: 'workflow step failed', runId, stepId: 'bad', attempts: 1 }));
    expect(h.logs).toContainEqual(expect.objectContaining({ msg: 'workflow run ended', runId, status: 'completed' }));
  });

  it('a step failed for good without onError fails the run (a completed job whose result says failed)', async () => {
    await h.save({ workflowId: 'w', steps: [{ id: 'bad', kind: 'branch', condition: '$undefinedFunction()', then: 'bad', else: 'bad' }] });
    h.startWorker();
    const { runId, jobId } = await h.trigger('w', 't1');
    const result = await h.resultOf(jobId);
    expect(result?.status).toBe('failed');
    expect((await h.client.getWorkflowRun(runId))?.error).toMatch(/^step "bad" failed: step "bad" condition: /);
    expect(await (await h.queue.getJob(jobId))?.getState()).toBe('completed');
  });

  it('a loop stops at limits.maxExecutedSteps and the run fails naming the limit', async () => {
    await h.save({
      workflowId: 'loop',
      limits: { maxExecutedSteps: 25 },
      steps: [
        { id: 'inc', kind: 'set', values: { n: '$exists(context.n) ? context.n + 1 : 1' } },
        { id: 'again', kind: 'branch', condition: 'true', then: 'inc', else: 'inc' },
      ],
    });
    h.startWorker();
    const { runId, jobId } = await h.trigger('loop', 't1');
    const result = await h.resultOf(jobId);
    expect(result?.status).toBe('failed');
    expect(result?.steps).toHaveLength(25);
    const record = await h.client.getWorkflowRun(runId);
    expect(record?.error).toBe('run reached limits.maxExecutedSteps (25) before step "again"');
    expect(record?.executedSteps).toBe(25);
    expect(record?.context).toEqual({ n: 13 });
  });

  it('WORKFLOW_MAX_EXECUTED_STEPS is the limit of a definition that sets none', async () => {
    await h.close();
    h = await startWorkflowHarness({ WORKFLOW_MAX_EXECUTED_STEPS: '7' });
    await h.save({ workflowId: 'loop', steps: [{ id: 'spin', kind: 'branch', condition: 'true', then: 'spin', else: 'spin' }] });
    h.startWorker();
    const { runId, jobId } = await h.trigger('loop', 't1');
    expect((await h.resultOf(jobId))?.steps).toHaveLength(7);
    expect((await h.client.getWorkflowRun(runId))?.error).toBe('run reached limits.maxExecutedSteps (7) before step "spin"');
  });

  it('retries a retryable failure with backoff (the job suspended, attempts journaled), then takes onError', async () => {
    let calls = 0;
    const flaky: StepKind = {
      kind: 'http_request',
      async run({ attempt }) {
        calls += 1;
        return attempt < 3 ? { type: 'failed', error: `boom ${attempt}`, retryable: true } : { type: 'failed', error: 'still boom', retryable: true };
      },
    };
    await h.save({
      workflowId: 'w',
      steps: [
        { id: 'call', kind: 'http_request', method: 'POST', url: 'https://crm.example/hook', retry: { attempts: 3, backoffMs: 200 }, onError: 'fallback' },
        { id: 'fallback', kind: 'end', output: '"fell back"' },
      ],
    });
    h.startWorker({ stepKinds: [flaky] });
    const { runId, jobId } = await h.trigger('w', 't1');
    const result = await h.resultOf(jobId);
    expect(calls).toBe(3);
    expect(result?.output).toBe('fell back');
    const record = await h.client.getWorkflowRun(runId);
    expect(record?.steps[0]).toMatchObject({ stepId: 'call', status: 'failed', attempts: 3, error: 'still boom', nextStepId: 'fallback' });
    // The backoffs were waits of the job (delayed), not failed attempts of it: the one attempt
    // BullMQ counts is the one that completed.
    expect((await h.queue.getJob(jobId))?.attemptsMade).toBe(1);
  });

  it('a step attempt past its timeoutMs fails (retryable) even if the step never settles', async () => {
    // set/branch/end are timed by the engine (http_request by its request, job steps by a timer job).
    const stuck: StepKind = { kind: 'set', run: () => new Promise(() => undefined) };
    await h.save({
      workflowId: 'w',
      steps: [{ id: 'call', kind: 'set', values: { x: '1' }, timeoutMs: 200, retry: { attempts: 2, backoffMs: 0 } }],
    });
    h.startWorker({ stepKinds: [stuck] });
    const { runId, jobId } = await h.trigger('w', 't1');
    expect((await h.resultOf(jobId))?.status).toBe('failed');
    const record = await h.client.getWorkflowRun(runId);
    expect(record?.steps[0]).toMatchObject({ status: 'failed', attempts: 2, error: 'step "call" timed out after 200 ms' });
  });

  it('an error thrown by a step (infrastructure) fails the job attempt; the retry resumes at that step with the same attempt number', async () => {
    const seen: number[] = [];
    const shaky: StepKind = {
      kind: 'http_request',
      async run({ attempt }) {
        seen.push(attempt);
        if (seen.length === 1) throw new Error('connection reset');
        return { type: 'completed', output: { ok: true } };
      },
    };
    await h.save({
      workflowId: 'w',
      steps: [
        { id: 'before', kind: 'set', values: { n: '1' } },
        { id: 'call', kind: 'http_request', method: 'POST', url: 'https://crm.example/hook' },
        { id: 'done', kind: 'end', output: 'steps.call' },
      ],
    });
    h.startWorker({ stepKinds: [shaky] });
    const { runId, jobId } = await h.trigger('w', 't1');
    const result = await h.resultOf(jobId);
    expect(result?.output).toEqual({ ok: true });
    // The same attempt ran again (a child job id made from it would be the same), and the step
    // before it was not run again: its journaled outcome was kept.
    expect(seen).toEqual([1, 1]);
    const record = await h.client.getWorkflowRun(runId);
    expect(record?.steps.map((s) => [s.stepId, s.attempts])).toEqual([
      ['before', 1],
      ['call', 1],
      ['done', 1],
    ]);
    expect((await h.queue.getJob(jobId))?.attemptsMade).toBe(2);
  });

  it("a run whose job fails for good (an infrastructure error on its last attempt) is marked failed, not left running", async () => {
    const broken: StepKind = {
      kind: 'http_request',
      async run() {
        throw new Error('connection reset');
      },
    };
    await h.save({ workflowId: 'w', steps: [{ id: 'call', kind: 'http_request', method: 'POST', url: 'https://crm.example/hook' }] });
    h.startWorker({ stepKinds: [broken] });
    const job = await h.producer.add('WORKFLOW_EXECUTION', { userId: TEST_USER, workflowId: 'w', triggerId: 't-final', context: {} }, { attempts: 1 });
    const runId = workflowRunIdOf({ workflowId: 'w', triggerId: 't-final' });
    await waitFor('the job to fail', async () => (await h.queue.getJobState(job.id!)) === 'failed');
    const record = await h.client.getWorkflowRun(runId);
    expect(record).toMatchObject({ status: 'failed', error: "the run's job failed for good: connection reset" });
    expect(record?.steps[0]).toMatchObject({ stepId: 'call', status: 'failed' });
    expect(record?.endedAt).toEqual(expect.any(Number));
  });

  it('a duplicate trigger after the job was removed returns the ended run again without running a step', async () => {
    await h.save(scoring);
    h.startWorker();
    const first = await h.trigger('score-lead', 'lead-1', { employees: 500 });
    const firstResult = await h.resultOf(first.jobId);
    await (await h.queue.getJob(first.jobId))?.remove();
    const second = await h.trigger('score-lead', 'lead-1', { employees: 1 });
    expect(second).toEqual(first);
    expect(await h.resultOf(second.jobId)).toEqual(firstResult);
    expect((await h.client.getWorkflowRun(first.runId))?.executedSteps).toBe(4);
  });
});
