import { Job, UnrecoverableError, Worker } from 'bullmq';
import { testRedisUrl, waitFor } from '@jobs/test-support';
import { startWorkflowHarness, type WorkflowHarness } from '../../test-support/workflow-harness';

const url = testRedisUrl();
const ENRICHED = { outcomes: [{ leadId: 'lead-1', status: 'enriched', fields: { company: 'Acme' } }], totals: { enriched: 1, notFound: 0, failed: 0, rejected: 0 } };
const ENRICH_INPUT = '{ "leads": [{ "id": context.leadId, "email": "ann@acme.example" }], "batchSize": 1 }';

describe('child-job steps driven by the workflow engine (in-process worker, real child queue workers, real Redis)', () => {
  let h: WorkflowHarness;
  const children: Worker[] = [];

  beforeEach(async () => {
    h = await startWorkflowHarness();
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((w) => w.close()));
    await h.close();
  });

  /** A real worker on a child queue of the harness's prefix. */
  function childWorker(queue: string, processor: (job: Job) => Promise<unknown>): Worker {
    const worker = new Worker(queue, processor, { connection: { url }, prefix: h.prefix });
    children.push(worker);
    return worker;
  }

  it('holds no slot while it waits for its child: the run job waits in waiting-children, then completes with the child result as the step output', async () => {
    await h.save({ workflowId: 'wf', steps: [{ id: 'enrich', kind: 'enrich_lead', input: ENRICH_INPUT }, { id: 'done', kind: 'end', output: 'steps.enrich.totals' }] });
    h.startWorker();
    const { runId, jobId } = await h.trigger('wf', 't-1', { leadId: 'lead-1' });
    await waitFor('the run waiting for its child', async () => (await h.queue.getJobState(jobId)) === 'waiting-children');
    expect(await h.queue.getActiveCount()).toBe(0);
    const waiting = await h.client.getWorkflowRun(runId);
    expect(waiting?.status).toBe('waiting');
    expect(waiting?.steps[0]).toMatchObject({ stepId: 'enrich', status: 'waiting', childJob: { queue: 'enrichment', jobId: `wf-${runId}-enrich-1` } });

    childWorker('enrichment', async () => ENRICHED);
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ stepId: 'enrich', status: 'completed', attempts: 1, output: ENRICHED });
    expect(run.output).toEqual(ENRICHED.totals);
  });

  it('a loop that comes back to a job step enqueues a new child each visit ("enrich again"), each with its own result', async () => {
    await h.save({
      workflowId: 'wf',
      steps: [
        { id: 'count', kind: 'set', values: { n: '($exists(context.n) ? context.n : 0) + 1' } },
        { id: 'enrich', kind: 'enrich_lead', input: '{ "leads": [{ "id": context.leadId & "-" & $string(context.n), "email": "ann@acme.example" }], "batchSize": 1 }' },
        { id: 'again', kind: 'branch', condition: 'context.n < 3', then: 'count', else: 'done' },
        { id: 'done', kind: 'end', output: 'context.n' },
      ],
    });
    const seen: string[] = [];
    childWorker('enrichment', async (job) => {
      seen.push(job.id as string);
      const leadId = (job.data as { leads: { id: string }[] }).leads[0]?.id as string;
      return { ...ENRICHED, outcomes: [{ ...ENRICHED.outcomes[0], leadId }] };
    });
    h.startWorker();
    const { runId } = await h.trigger('wf', 't-1', { leadId: 'lead' });
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.output).toBe(3);
    expect(seen).toEqual([`wf-${runId}-enrich-1`, `wf-${runId}-enrich-1.v2`, `wf-${runId}-enrich-1.v3`]);
    const visits = run.steps.filter((s) => s.stepId === 'enrich');
    expect(visits.map((s) => (s.output as { outcomes: { leadId: string }[] }).outcomes[0]?.leadId)).toEqual(['lead-1', 'lead-2', 'lead-3']);
  });

  it('a child that failed for good is retried by the step as a new child job (attempt 2), whose result the step keeps', async () => {
    await h.save({
      workflowId: 'wf',
      steps: [{ id: 'enrich', kind: 'enrich_lead', input: ENRICH_INPUT, retry: { attempts: 2, backoffMs: 50 } }],
    });
    const seen: string[] = [];
    childWorker('enrichment', async (job) => {
      seen.push(job.id as string);
      if (seen.length === 1) throw new UnrecoverableError('actor run failed');
      return ENRICHED;
    });
    h.startWorker();
    const { runId } = await h.trigger('wf', 't-1', { leadId: 'lead-1' });
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(seen).toEqual([`wf-${runId}-enrich-1`, `wf-${runId}-enrich-2`]);
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0]).toMatchObject({ status: 'completed', attempts: 2, output: ENRICHED, childJob: { jobId: `wf-${runId}-enrich-2` } });
  });

  it('a child failed for good with no attempts left takes onError, with the child failure as the step error', async () => {
    await h.save({
      workflowId: 'wf',
      steps: [
        { id: 'draft', kind: 'draft_email', input: '{ "threadId": "t-1", "context": "hi", "tone": "friendly" }', retry: { attempts: 1 }, onError: 'fallback' },
        { id: 'ok', kind: 'end', output: '"drafted"' },
        { id: 'fallback', kind: 'end', output: '"no draft"' },
      ],
    });
    childWorker('email', async () => {
      throw new UnrecoverableError('mailbox not connected');
    });
    h.startWorker();
    const { runId } = await h.trigger('wf', 't-1');
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', output: 'no draft' });
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['draft', 'failed'],
      ['fallback', 'completed'],
    ]);
    expect(run.steps[0]?.error).toBe(`email job wf-${runId}-draft-1 failed: mailbox not connected`);
  });

  it('data the target contract refuses fails the run at once, naming the field, without retries or a child job', async () => {
    await h.save({
      workflowId: 'wf',
      steps: [{ id: 'call', kind: 'place_call', input: '{ "callId": "c-1", "phoneNumber": "not a number", "assistantId": "a-1" }', retry: { attempts: 3 } }],
    });
    h.startWorker();
    const { runId } = await h.trigger('wf', 't-1');
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({ stepId: 'call', status: 'failed', attempts: 1 });
    expect(run.steps[0]?.error).toMatch(/^steps\.call\.input: .*phoneNumber/);
    expect(await h.producer.queue('voice').getJobCountByTypes('wait', 'delayed', 'completed', 'failed', 'active')).toBe(0);
  });

  it('cancel while the child has not started: the child job is removed and the run ends cancelled', async () => {
    await h.save({ workflowId: 'wf', steps: [{ id: 'call', kind: 'place_call', input: '{ "callId": "c-1", "phoneNumber": "+14155550123", "assistantId": "a-1" }' }] });
    h.startWorker();
    const { runId, jobId } = await h.trigger('wf', 't-1');
    await waitFor('the run waiting for its call', async () => (await h.queue.getJobState(jobId)) === 'waiting-children');
    expect(await h.client.cancelWorkflowRun(runId)).toEqual({ found: true });
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    expect(await h.producer.queue('voice').getJob(`wf-${runId}-call-1`)).toBeUndefined();
  });
});
