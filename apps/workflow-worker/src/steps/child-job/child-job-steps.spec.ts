import { randomUUID } from 'node:crypto';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import jsonata from 'jsonata';
import { JobProducer, redisSettingsFromEnv, type JsonObject, type JsonValue } from '@jobs/queue-contracts';
import { createLogger } from '@jobs/worker-kit';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import type { StepKind, StepResult, StepRunInput, StepScope } from '../../engine/step-kind';
import { draftEmailStep } from './draft-email';
import { enrichLeadStep } from './enrich-lead';
import { detachPendingChildren } from './detach-pending-children';
import { placeCallStep } from './place-call';
import type { ChildJobStep } from './run-child-job-step';

const url = testRedisUrl();
const RUN_ID = 'run_0123456789abcdef0123456789abcdef';
const ENRICH = { id: 'enrich', kind: 'enrich_lead', input: '{ "leads": [{ "id": context.leadId, "email": context.email }], "batchSize": 1 }' } as const;
const DRAFT = { id: 'draft', kind: 'draft_email', input: '{ "threadId": "t-1", "context": "Say hello", "tone": "friendly" }' } as const;
const CALL = { id: 'call', kind: 'place_call', input: '{ "callId": "c-" & run.runId, "phoneNumber": "+14155550123", "assistantId": "a-1" }' } as const;
const ENRICHED = { outcomes: [{ leadId: 'lead-1', status: 'enriched', fields: { company: 'Acme' } }], totals: { enriched: 1, notFound: 0, failed: 0, rejected: 0 } };

describe('child-job steps (enrich_lead, draft_email, place_call) on real Redis', () => {
  let prefix: string;
  let producer: JobProducer;
  let runs: Queue;
  let runWorker: Worker;
  const childWorkers: Worker[] = [];
  let token: string;
  let parent: Job;

  beforeEach(async () => {
    prefix = uniquePrefix('wf-child');
    producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });
    runs = new Queue('workflow', { connection: { url }, prefix });
    // The run's job, active under `token` as while the engine runs its steps (moved by hand).
    runWorker = new Worker('workflow', null, { connection: { url }, prefix });
    await runs.add('WORKFLOW_EXECUTION', { runId: RUN_ID }, { jobId: `wfrun-${RUN_ID}` });
    token = randomUUID();
    parent = (await runWorker.getNextJob(token)) as Job;
  });
  afterEach(async () => {
    await Promise.all(childWorkers.splice(0).map((w) => w.close()));
    await Promise.all([runWorker.close(), runs.close(), producer.close()]);
    await deletePrefix(url, prefix);
  });

  /** A real worker on a child queue, processing with `processor`. */
  function childWorker(queue: string, processor: (job: Job, token?: string) => Promise<unknown>): Worker {
    const worker = new Worker(queue, processor, { connection: { url }, prefix });
    childWorkers.push(worker);
    return worker;
  }

  function input<S extends ChildJobStep>(step: S, over: Partial<StepRunInput<S>> = {}): StepRunInput<S> {
    const scope: StepScope = {
      context: { leadId: 'lead-1', email: 'ann@acme.example' } as JsonObject,
      steps: {},
      run: { runId: RUN_ID, workflowId: 'wf-1', triggerId: 'tr-1', userId: 'user-1' },
    };
    return {
      step,
      runId: RUN_ID,
      userId: 'user-1',
      scope,
      attempt: 1,
      visit: 1,
      state: undefined,
      job: parent,
      token,
      producer,
      evaluate: async (expression: string) => ((await jsonata(expression).evaluate(scope)) ?? null) as JsonValue,
      log: createLogger({ level: 'silent' }),
      signal: new AbortController().signal,
      now: Date.now(),
      ...over,
    } as StepRunInput<S>;
  }

  const run = <S extends ChildJobStep>(kind: StepKind<S>, step: S, over: Partial<StepRunInput<S>> = {}): Promise<StepResult> =>
    kind.run(input(step, over));

  /** Suspends the run's job as the engine does; true when it now waits for its children. */
  async function suspendForChildren(): Promise<boolean> {
    return parent.moveToWaitingChildren(token);
  }

  /** Takes the run's job again once its children released it (as the worker does on resume). */
  async function resumeParent(): Promise<void> {
    await waitFor('the run job released to wait', async () => (await parent.getState()) === 'waiting', { timeoutMs: 20_000 });
    token = randomUUID();
    parent = (await runWorker.getNextJob(token)) as Job;
  }

  it('enrich_lead: adds LEAD_ENRICHMENT as a child of the run with the run userId, suspends, and completes with its result', async () => {
    const first = await run(enrichLeadStep, ENRICH);
    const childJobId = `wf-${RUN_ID}-enrich-1`;
    expect(first).toEqual({
      type: 'suspend',
      waitFor: 'children',
      childJob: { queue: 'enrichment', jobId: childJobId },
      state: { childJobId, queue: 'enrichment' },
    });
    const child = await producer.queue('enrichment').getJob(childJobId);
    expect(child?.data).toEqual({ userId: 'user-1', leads: [{ id: 'lead-1', email: 'ann@acme.example' }], batchSize: 1 });
    expect(child?.parent).toMatchObject({ id: parent.id, queueKey: `${prefix}:workflow` });
    expect(child?.opts.ignoreDependencyOnFailure).toBe(true);

    expect(await suspendForChildren()).toBe(true);
    childWorker('enrichment', async () => ENRICHED);
    await resumeParent();
    expect(await run(enrichLeadStep, ENRICH, { state: first.type === 'suspend' ? first.state : undefined })).toEqual({ type: 'completed', output: ENRICHED });
  });

  it('re-run of the same attempt after a crash before the journal: nothing added again, the same child awaited', async () => {
    await run(enrichLeadStep, ENRICH);
    const again = await run(enrichLeadStep, ENRICH);
    expect(again).toMatchObject({ type: 'suspend', state: { childJobId: `wf-${RUN_ID}-enrich-1` } });
    expect(await producer.queue('enrichment').getJobCounts('wait')).toEqual({ wait: 1 });
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 1 });
  });

  it('re-run after a crash once the child completed: completes at once with its result, no second job', async () => {
    await run(enrichLeadStep, ENRICH);
    const worker = childWorker('enrichment', async () => ENRICHED);
    await waitFor('the child completed', async () => (await parent.getDependenciesCount()).processed === 1);
    await worker.close();
    expect(await run(enrichLeadStep, ENRICH)).toEqual({ type: 'completed', output: ENRICHED });
    expect(await producer.queue('enrichment').getJobCounts('wait', 'completed')).toEqual({ wait: 0, completed: 1 });
  });

  it('a child that failed for good: the step fails, retryable, with its reason; the retry (attempt 2) adds a new child', async () => {
    const first = await run(draftEmailStep, DRAFT);
    expect(await suspendForChildren()).toBe(true);
    childWorker('email', async () => {
      throw new UnrecoverableError('mailbox not found');
    });
    await resumeParent();
    const state = first.type === 'suspend' ? first.state : undefined;
    expect(await run(draftEmailStep, DRAFT, { state })).toEqual({
      type: 'failed',
      error: `email job wf-${RUN_ID}-draft-1 failed: mailbox not found`,
      retryable: true,
    });
    expect(await run(draftEmailStep, DRAFT, { attempt: 2 })).toMatchObject({ type: 'suspend', state: { childJobId: `wf-${RUN_ID}-draft-2` } });
  });

  it('re-run after a crash once the child failed for good: fails at once and does not make it a pending dependency again', async () => {
    await run(draftEmailStep, DRAFT);
    const worker = childWorker('email', async () => {
      throw new UnrecoverableError('mailbox not found');
    });
    await waitFor('the child failed', async () => Object.keys(await parent.getIgnoredChildrenFailures()).length === 1);
    await worker.close();
    expect(await run(draftEmailStep, DRAFT)).toMatchObject({ type: 'failed', retryable: true });
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 0 });
    expect(await suspendForChildren()).toBe(false);
  });

  it('data the target contract refuses: failed, not retryable, naming the field; nothing enqueued', async () => {
    const bad = { ...DRAFT, input: '{ "threadId": "t-1", "context": "x" }' };
    const result = await run(draftEmailStep, bad);
    expect(result).toMatchObject({ type: 'failed', retryable: false });
    expect(result.type === 'failed' && result.error).toMatch(/^steps\.draft\.input: .*tone/);
    expect(await producer.queue('email').count()).toBe(0);
  });

  it('input that is not an object, or that sets userId: failed, not retryable', async () => {
    expect(await run(enrichLeadStep, { ...ENRICH, input: '"lead-1"' })).toMatchObject({ type: 'failed', retryable: false, error: expect.stringContaining('must evaluate to a JSON object') });
    expect(await run(enrichLeadStep, { ...ENRICH, input: '{ "userId": "someone-else", "leads": [{ "id": "l" }], "batchSize": 1 }' })).toMatchObject({
      type: 'failed',
      retryable: false,
      error: expect.stringContaining('must not set userId'),
    });
    expect(await producer.queue('enrichment').count()).toBe(0);
  });

  it('place_call: a call not finished yet (held for its calling window) suspends again with the same state', async () => {
    const first = await run(placeCallStep, CALL);
    const childJobId = `wf-${RUN_ID}-call-1`;
    expect(first).toMatchObject({ type: 'suspend', childJob: { queue: 'voice', jobId: childJobId } });
    const child = (await producer.queue('voice').getJob(childJobId)) as Job;
    expect(child.data).toMatchObject({ userId: 'user-1', callId: `c-${RUN_ID}`, phoneNumber: '+14155550123' });
    expect(await suspendForChildren()).toBe(true);
    // As the voice worker does outside the calling window: the call job waits as delayed.
    childWorker('voice', async (job, jobToken) => {
      await job.moveToDelayed(Date.now() + 60_000, jobToken);
      throw new DelayedError();
    });
    await waitFor('the call job held as delayed', async () => (await child.getState()) === 'delayed');
    expect(await parent.getState()).toBe('waiting-children');
    const state = first.type === 'suspend' ? first.state : undefined;
    expect(await run(placeCallStep, CALL, { state })).toEqual(first);
  });

  it('timeoutMs: past the deadline a child not started is removed (retryable failure) and no longer a dependency', async () => {
    const step = { ...CALL, timeoutMs: 1000 };
    const now = Date.now();
    const first = await run(placeCallStep, step, { now });
    expect(first).toMatchObject({ type: 'suspend', until: now + 1000, state: { deadline: now + 1000 } });
    const state = first.type === 'suspend' ? first.state : undefined;
    expect(await run(placeCallStep, step, { state, now: now + 999 })).toEqual(first);
    const late = await run(placeCallStep, step, { state, now: now + 1000 });
    expect(late).toMatchObject({ type: 'failed', retryable: true, error: expect.stringContaining('did not finish within 1000 ms (removed before it started)') });
    expect(await producer.queue('voice').getJob(`wf-${RUN_ID}-call-1`)).toBeUndefined();
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 0 });
  });

  it('timeoutMs: a child removed by the deadline timer reads as timed out past the deadline, as gone before it', async () => {
    const step = { ...CALL, timeoutMs: 1000 };
    const now = Date.now();
    const first = await run(placeCallStep, step, { now });
    const state = first.type === 'suspend' ? first.state : undefined;
    await (await producer.queue('voice').getJob(`wf-${RUN_ID}-call-1`))?.remove();
    expect(await run(placeCallStep, step, { state, now: now + 10 })).toMatchObject({ type: 'failed', retryable: true, error: expect.stringContaining('is gone') });
    expect(await run(placeCallStep, step, { state, now: now + 1000 })).toMatchObject({ type: 'failed', retryable: true, error: expect.stringContaining('did not finish within 1000 ms') });
  });

  it('timeoutMs: past the deadline a running child is unlinked (not retryable: a second call would repeat it)', async () => {
    const step = { ...CALL, timeoutMs: 1000 };
    const now = Date.now();
    const first = await run(placeCallStep, step, { now });
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      childWorker('voice', () => {
        resolve();
        return new Promise((done) => (release = () => done({ vapiCallId: 'v', status: 'ended' })));
      });
    });
    await started;
    const state = first.type === 'suspend' ? first.state : undefined;
    const late = await run(placeCallStep, step, { state, now: now + 5000 });
    expect(late).toMatchObject({ type: 'failed', retryable: false, error: expect.stringContaining('still running, no longer awaited') });
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 0 });
    release();
    await waitFor('the call job to complete', async () => (await producer.queue('voice').getJobState(`wf-${RUN_ID}-call-1`)) === 'completed');
    expect(await parent.getChildrenValues()).toEqual({});
  });
  it('detachPendingChildren: a run ending with unfinished children lets go of them (unstarted removed, started unlinked) and its job can complete', async () => {
    await run(draftEmailStep, DRAFT);
    await run(placeCallStep, CALL);
    let release: () => void = () => undefined;
    await new Promise<void>((started) => {
      childWorker('voice', () => {
        started();
        return new Promise((done) => (release = () => done({ vapiCallId: 'v', status: 'ended' })));
      });
    });
    await expect(parent.moveToCompleted({ done: true }, token, false)).rejects.toThrow(/pending dependencies/);

    const detached = await detachPendingChildren(parent, producer);
    expect([...detached].sort((a, b) => a.queue.localeCompare(b.queue))).toEqual([
      { queue: 'email', jobId: `wf-${RUN_ID}-draft-1`, how: 'removed' },
      { queue: 'voice', jobId: `wf-${RUN_ID}-call-1`, how: 'detached' },
    ]);
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 0 });
    await parent.moveToCompleted({ done: true }, token, false);
    expect(await parent.getState()).toBe('completed');
    release();
    await waitFor('the call job to complete', async () => (await producer.queue('voice').getJobState(`wf-${RUN_ID}-call-1`)) === 'completed');
    expect(await detachPendingChildren(parent, producer)).toEqual([]);
  });
});
