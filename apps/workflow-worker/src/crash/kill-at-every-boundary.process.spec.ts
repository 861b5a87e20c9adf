import { JobProducer, WorkflowClient, deriveWorkflowRunId, redisSettingsFromEnv, workflowRunJobId, type JobResult, type WorkflowRunRecord } from '@jobs/queue-contracts';
import { deletePrefix, spawnWorkerProcess, testRedisUrl, uniquePrefix, waitFor, type WorkerProcess } from '@jobs/test-support';
import { startChildWorkerFleet, MAILBOX, type ChildWorkerFleet } from '../test-support/child-worker-fleet';
import { KILL_AT_ENV } from './kill-point';

const url = testRedisUrl();
const WORKFLOW_ID = 'new-inbound-lead';

/**
 * Six steps over the three other queues: enrich the lead, branch on it, draft a reply, note the
 * draft in the context, call, end. Every expression reads only what is the same in every run, so
 * an uninterrupted run and a killed one end with the same output.
 */
const DEFINITION = {
  workflowId: WORKFLOW_ID,
  name: 'New inbound lead (crash test)',
  steps: [
    { id: 'enrich', kind: 'enrich_lead', input: '{ "leads": [{ "id": context.leadId, "email": context.email }], "batchSize": 1 }' },
    { id: 'check', kind: 'branch', condition: 'steps.enrich.totals.enriched = 1', then: 'draft', else: 'done' },
    {
      id: 'draft',
      kind: 'draft_email',
      input: '{ "accountId": context.accountId, "emailProvider": "gmail", "threadId": context.threadId, "context": "Thank " & steps.enrich.outcomes[0].fields.fullName & " and offer a demo call.", "tone": "friendly" }',
    },
    { id: 'remember', kind: 'set', values: { 'lead.company': 'steps.enrich.outcomes[0].fields.company', 'lead.drafted': '$exists(steps.draft.draftId)' } },
    { id: 'call', kind: 'place_call', input: '{ "callId": context.callId, "phoneNumber": context.phone, "assistantId": "assistant-1" }' },
    { id: 'done', kind: 'end', output: '{ "company": context.lead.company, "drafted": context.lead.drafted, "callStatus": steps.call.status, "endedReason": steps.call.endedReason }' },
  ],
};

/** Where the worker is SIGKILLed: after a child job was enqueued (before the step's wait is journaled), or after a step's outcome was journaled. */
const BOUNDARIES = [
  'enrich:after-enqueue',
  'enrich:after-journal',
  'check:after-journal',
  'draft:after-enqueue',
  'draft:after-journal',
  'remember:after-journal',
  'call:after-enqueue',
  'call:after-journal',
  'done:after-journal',
] as const;

const CHILD_STEPS = [
  { stepId: 'enrich', queue: 'enrichment' },
  { stepId: 'draft', queue: 'email' },
  { stepId: 'call', queue: 'voice' },
] as const;

interface Outcome {
  readonly runId: string;
  readonly result: JobResult<'WORKFLOW_EXECUTION'>;
  readonly record: WorkflowRunRecord | null;
  readonly childJobIds: Record<string, string[]>;
  /** Jobs in each child queue, every run so far together: one per run when no job was ever added twice. */
  readonly childJobTotals: Record<string, number>;
  /** How many runs the suite has made so far, this one included. */
  readonly runsSoFar: number;
  readonly sideEffects: { enrichmentRuns: number; drafts: number; calls: number };
  /** Log lines of the worker that finished the run (the restarted one after a kill). */
  readonly finisherLines: readonly Record<string, unknown>[];
}

describe('workflow-worker process: SIGKILL at every step boundary of a 6-step run over three queues, then a restart', () => {
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const prefix = uniquePrefix('wf-crash');
  let fleet: ChildWorkerFleet;
  let producer: JobProducer;
  let client: WorkflowClient;
  let baseline: Outcome;
  const running: WorkerProcess[] = [];
  let scenario = 0;

  const startWorkflowWorker = (killAt?: string): WorkerProcess => {
    const w = spawnWorkerProcess('apps/workflow-worker/src/main.ts', {
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
      // The killed worker's run is active under a lock nobody extends: the restarted worker's
      // stalled check (every lock duration) takes it back within about 2 s.
      WORKER_LOCK_DURATION_MS: '2000',
      ...(killAt ? { [KILL_AT_ENV]: killAt } : {}),
    });
    running.push(w);
    return w;
  };

  const stop = async (w: WorkerProcess) => {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await w.exited;
    running.splice(running.indexOf(w), 1);
  };

  /** One run of the definition; when `killAt` is set the first worker must die there, and a second one finishes the run. */
  async function runScenario(killAt?: string): Promise<Outcome> {
    scenario += 1;
    const label = killAt ?? 'uninterrupted';
    const triggerId = `trigger-${scenario}-${label.replace(':', '-')}`;
    const leadId = `lead-${scenario}`;
    const callId = `call-${scenario}`;
    const threadId = fleet.addInboundThread(label);
    const runId = deriveWorkflowRunId(WORKFLOW_ID, triggerId);
    const jobId = workflowRunJobId(runId);

    const first = startWorkflowWorker(killAt);
    await first.waitForLine((l) => l['msg'] === 'worker started', 60_000);
    await producer.add('WORKFLOW_EXECUTION', {
      userId: 'user-1',
      workflowId: WORKFLOW_ID,
      triggerId,
      context: { leadId, email: 'ann.lee@acme.example', accountId: MAILBOX, threadId, callId, phone: '+14155550123' },
    });
    const queue = producer.queue('workflow');
    let finisher = first;
    if (killAt) {
      const exit = await Promise.race([
        first.exited,
        waitFor('the run to end without reaching the kill point', async () => (await queue.getJob(jobId))?.finishedOn, { timeoutMs: 60_000, intervalMs: 200 }).then(() => null),
      ]);
      expect(exit).toMatchObject({ signal: 'SIGKILL' });
      running.splice(running.indexOf(first), 1);
      finisher = startWorkflowWorker();
    }
    await waitFor('the run job to finish', async () => (await queue.getJob(jobId))?.finishedOn, { timeoutMs: 90_000, intervalMs: 100 }).catch((err: unknown) => {
      process.stdout.write(`${JSON.stringify(finisher.lines.slice(-20), null, 1)}\n${finisher.stderr().slice(-3000)}\n`);
      throw err;
    });
    await stop(finisher);
    const job = await queue.getJob(jobId);
    expect(job?.failedReason).toBeUndefined();

    const childJobIds: Record<string, string[]> = {};
    const childJobTotals: Record<string, number> = {};
    for (const { queue: name } of CHILD_STEPS) {
      const jobs = await producer.queue(name).getJobs(['completed', 'failed', 'active', 'wait', 'delayed', 'prioritized', 'waiting-children']);
      childJobIds[name] = jobs.map((j) => j.id as string).filter((id) => id.startsWith(`wf-${runId}-`));
      childJobTotals[name] = jobs.length;
    }
    return {
      runId,
      result: job?.returnvalue as JobResult<'WORKFLOW_EXECUTION'>,
      record: await client.getWorkflowRun(runId),
      childJobIds,
      childJobTotals,
      runsSoFar: scenario,
      sideEffects: { enrichmentRuns: fleet.enrichmentRunsFor(leadId), drafts: fleet.draftsIn(threadId), calls: fleet.callsFor(callId) },
      finisherLines: finisher.lines,
    };
  }

  beforeAll(async () => {
    fleet = await startChildWorkerFleet(prefix);
    producer = new JobProducer({ redis, prefix });
    client = new WorkflowClient({ redis, prefix });
    await client.saveWorkflowDefinition(DEFINITION);
    baseline = await runScenario();
  }, 300_000);

  afterAll(async () => {
    for (const w of running.splice(0)) {
      w.kill();
      await w.exited;
    }
    await fleet?.close();
    await Promise.all([producer?.close(), client?.close()]);
    await deletePrefix(url, prefix);
  }, 60_000);

  it('the uninterrupted run: completed through all six steps, one child job per child step, one side effect each', () => {
    expect(baseline.result).toMatchObject({
      runId: baseline.runId,
      status: 'completed',
      output: { company: 'Acme', drafted: true, callStatus: 'ended', endedReason: 'customer-ended-call' },
    });
    expect(baseline.result.steps.map((s) => [s.stepId, s.status])).toEqual(DEFINITION.steps.map((s) => [s.id, 'completed']));
    for (const { stepId, queue } of CHILD_STEPS) expect(baseline.childJobIds[queue]).toEqual([`wf-${baseline.runId}-${stepId}-1`]);
    expect(baseline.sideEffects).toEqual({ enrichmentRuns: 1, drafts: 1, calls: 1 });
  });

  it.each(BOUNDARIES)(
    'killed at %s: same result as the uninterrupted run, one job per child step, one enrichment run, one draft, one call',
    async (killAt) => {
      const outcome = await runScenario(killAt);
      expect(outcome.result.status).toBe('completed');
      expect(outcome.result.output).toEqual(baseline.result.output);
      expect(outcome.result.steps.map((s) => [s.stepId, s.status])).toEqual(baseline.result.steps.map((s) => [s.stepId, s.status]));
      // No step ran twice: one journal entry per step, each in its first attempt.
      expect(outcome.record?.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual(baseline.record?.steps.map((s) => [s.stepId, s.status, s.attempts]));
      for (const { stepId, queue } of CHILD_STEPS) expect(outcome.childJobIds[queue]).toEqual([`wf-${outcome.runId}-${stepId}-1`]);
      expect(outcome.childJobTotals).toEqual({ enrichment: outcome.runsSoFar, email: outcome.runsSoFar, voice: outcome.runsSoFar });
      expect(outcome.sideEffects).toEqual({ enrichmentRuns: 1, drafts: 1, calls: 1 });
      const [stepId, phase] = killAt.split(':');
      if (phase === 'after-enqueue') {
        // The restarted worker re-ran the interrupted attempt and found its child instead of adding one.
        const found = outcome.finisherLines.filter((l) => l['msg'] === 'child job found from an earlier try of this attempt');
        expect(found.map((l) => [l['stepId'], l['childJobId']])).toEqual([[stepId, `wf-${outcome.runId}-${stepId}-1`]]);
      }
    },
    240_000,
  );
});
