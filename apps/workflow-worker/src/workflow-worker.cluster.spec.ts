import { Job } from 'bullmq';
import { Cluster } from 'ioredis';
import {
  JobProducer,
  WorkflowClient,
  redisSettingsFromEnv,
  workflowRunIdOf,
  type JobResult,
  type QueueName,
  type RedisSettings,
  type WorkflowRunRecord,
} from '@jobs/queue-contracts';
import {
  jsonLineSink,
  markClusterClients,
  startThrowawayRedisCluster,
  uniquePrefix,
  waitFor,
  waitForNoClientsSince,
  type ThrowawayRedisCluster,
} from '@jobs/test-support';
import type { WorkerApp } from '@jobs/worker-kit';
import { MAILBOX, startChildWorkerFleet, type ChildWorkerFleet } from './test-support/child-worker-fleet';
import { workflowWorkerApp } from './workflow-worker-app';

/**
 * Seven steps over the three other queues and an outside event: enrich the lead, branch on it,
 * draft a reply, note the draft, call, wait for the demo to be booked (signalled through
 * `WorkflowClient`), end. The same run as the standalone process spec's, plus the event.
 */
const LEAD_FLOW = {
  workflowId: 'cluster-inbound-lead',
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
    // An hour: only the signal's promote can end this wait within the test's ceilings.
    { id: 'booked', kind: 'wait_for_event', event: 'demo_booked', timeoutMs: 3_600_000 },
    {
      id: 'done',
      kind: 'end',
      output: '{ "company": context.lead.company, "drafted": context.lead.drafted, "callStatus": steps.call.status, "endedReason": steps.call.endedReason, "slot": steps.booked.payload.slot }',
    },
  ],
};

/** An enrichment, then a wait nobody signals: the run is cancelled there. */
const HELD_FLOW = {
  workflowId: 'cluster-held-lead',
  steps: [
    { id: 'enrich', kind: 'enrich_lead', input: '{ "leads": [{ "id": context.leadId, "email": context.email }], "batchSize": 1 }' },
    { id: 'hold', kind: 'wait_for_event', event: 'never_sent', timeoutMs: 3_600_000 },
    { id: 'done', kind: 'end' },
  ],
};

const CHILD_STEPS: readonly { stepId: string; queue: QueueName }[] = [
  { stepId: 'enrich', queue: 'enrichment' },
  { stepId: 'draft', queue: 'email' },
  { stepId: 'call', queue: 'voice' },
];

describe('workflow-worker on a 3-master Redis Cluster: a run over the enrichment, email and voice queues', () => {
  const prefix = uniquePrefix('wf-cluster');
  /** Where the `workflow` queue and its flow-linked queues live on a cluster (`queuePrefix`). */
  const tagged = `${prefix}:{workflow}`;
  let cluster: ThrowawayRedisCluster;
  let redis: RedisSettings;
  let admin: Cluster;
  let fleet: ChildWorkerFleet;
  let producer: JobProducer;
  let client: WorkflowClient;
  let app: WorkerApp | undefined;
  /** The kit's exit calls: a direct `shutdown()` exits only when forced (code 1). */
  const exitCodes: number[] = [];
  const sink = jsonLineSink();
  /** Each master's highest client id before anything but `admin` connected (see markClusterClients). */
  let clientsMark: ReadonlyMap<number, number>;
  const runs: { lead?: string; held?: string } = {};

  /** Each master's `CLIENT LIST` lines, the asking connection's own excluded. */
  const clientLists = async () =>
    Promise.all(
      admin.nodes('master').map(async (node) => {
        const lines = String(await node.client('LIST')).trim().split('\n');
        const self = String(await node.client('ID'));
        return lines.filter((line) => !line.startsWith(`id=${self} `));
      }),
    );

  const runJob = (runId: string) => Job.fromId(producer.queue('workflow'), `wfrun-${runId}`);

  /** Waits (90 s ceiling) for the run's record to pass `check`; on timeout says where the run's job is and why. */
  const waitForRun = (runId: string, what: string, check: (run: WorkflowRunRecord) => boolean) =>
    waitFor(
      `run ${runId}: ${what}`,
      async () => {
        const run = await client.getWorkflowRun(runId);
        return run && check(run) ? run : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    ).catch(async (err: unknown) => {
      const job = await runJob(runId);
      const state = job ? await job.getState() : 'missing';
      throw new Error(`${(err as Error).message}; run job ${state}, attempts ${job?.attemptsMade}, last error: ${job?.failedReason ?? job?.stacktrace?.at(-1) ?? 'none'}`);
    });

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
    clientsMark = await markClusterClients(admin);

    // REDIS_URL may be set for the standalone tests: blank it (an empty variable counts as unset).
    fleet = await startChildWorkerFleet(prefix, { REDIS_URL: '', REDIS_DB: '', REDIS_CLUSTER_NODES: cluster.nodes });
    producer = new JobProducer({ redis, prefix });
    client = new WorkflowClient(producer);
    await client.saveWorkflowDefinition(LEAD_FLOW);
    await client.saveWorkflowDefinition(HELD_FLOW);
    app = await workflowWorkerApp.start({
      env: { REDIS_CLUSTER_NODES: cluster.nodes, BULLMQ_PREFIX: prefix, HEALTH_HOST: '127.0.0.1', HEALTH_PORT: '0', LOG_LEVEL: 'info', WORKER_MAX_JOBS_PER_SECOND: '0' },
      handleSignals: false,
      exit: (code) => exitCodes.push(code),
      logDestination: sink.destination,
    });
  }, 240_000);

  afterAll(async () => {
    await app?.shutdown.shutdown('test end');
    await fleet?.close();
    await Promise.allSettled([client?.close(), producer?.close()]);
    admin?.disconnect();
    await cluster?.stop();
  }, 60_000);

  it('becomes ready on the cluster', async () => {
    const started = app!;
    await waitFor('the workflow worker to be ready', async () => (await started.readiness()).ready, { timeoutMs: 30_000 });
    expect(await started.readiness()).toEqual({ ready: true, reasons: [] });
  });

  it('runs a lead through enrichment, email and voice children and a signalled event: every step completed, each child one job with the step output as its result', async () => {
    const threadId = fleet.addInboundThread('cluster');
    const data = {
      userId: 'user-1',
      workflowId: LEAD_FLOW.workflowId,
      triggerId: 'trigger-lead',
      context: { leadId: 'lead-c1', email: 'ann.lee@acme.example', accountId: MAILBOX, threadId, callId: 'call-c1', phone: '+14155550123' },
    };
    const added = await producer.add('WORKFLOW_EXECUTION', data);
    const runId = workflowRunIdOf(data);
    runs.lead = runId;
    expect(added.id).toBe(`wfrun-${runId}`);

    const waiting = await waitForRun(runId, 'waiting for demo_booked', (run) => run.status === 'waiting' && run.currentStepId === 'booked');
    // Suspended as a delayed job (an hour's timeout): the signal must promote it on the cluster.
    expect(await (await runJob(runId))?.getState()).toBe('delayed');
    expect(waiting.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['enrich', 'completed'],
      ['check', 'completed'],
      ['draft', 'completed'],
      ['remember', 'completed'],
      ['call', 'completed'],
      ['booked', 'waiting'],
    ]);
    expect(await client.signalWorkflowRun(runId, 'demo_booked', { slot: '2026-12-01T10:00:00Z' })).toEqual({ delivered: true });

    const record = await waitForRun(runId, 'ended', (run) => ['completed', 'failed', 'cancelled'].includes(run.status));
    const job = await waitFor('the run job to finish', async () => {
      const found = await runJob(runId);
      return found?.finishedOn ? found : undefined;
    });
    expect(job.failedReason).toBeUndefined();
    const result = job.returnvalue as JobResult<'WORKFLOW_EXECUTION'>;
    expect(result).toMatchObject({
      runId,
      status: 'completed',
      output: { company: 'Acme', drafted: true, callStatus: 'ended', endedReason: 'customer-ended-call', slot: '2026-12-01T10:00:00Z' },
    });
    expect(result.steps.map((s) => [s.stepId, s.status])).toEqual(LEAD_FLOW.steps.map((s) => [s.id, 'completed']));
    expect(record.status).toBe('completed');
    expect(record.output).toEqual(result.output);
    expect(record.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual(LEAD_FLOW.steps.map((s) => [s.id, 'completed', 1]));
    expect(record.steps.find((s) => s.stepId === 'booked')?.output).toEqual({ received: true, payload: { slot: '2026-12-01T10:00:00Z' } });

    for (const { stepId, queue } of CHILD_STEPS) {
      const entry = record.steps.find((s) => s.stepId === stepId);
      expect(entry?.childJob).toEqual({ queue, jobId: `wf-${runId}-${stepId}-1` });
      const child = await Job.fromId(producer.queue(queue), `wf-${runId}-${stepId}-1`);
      expect(await child?.getState()).toBe('completed');
      expect(child?.returnvalue).toEqual(entry?.output);
      // A flow child of the run's job: parent and child keys share the {workflow} slot.
      expect(child?.parentKey).toBe(`${tagged}:workflow:wfrun-${runId}`);
      const jobs = await producer.queue(queue).getJobs(['completed', 'failed', 'active', 'wait', 'delayed', 'prioritized', 'waiting-children']);
      expect(jobs.map((j) => j.id).filter((id) => id?.startsWith(`wf-${runId}-`))).toEqual([`wf-${runId}-${stepId}-1`]);
    }
    expect({ enrichmentRuns: fleet.enrichmentRunsFor('lead-c1'), drafts: fleet.draftsIn(threadId), calls: fleet.callsFor('call-c1') }).toEqual({
      enrichmentRuns: 1,
      drafts: 1,
      calls: 1,
    });
  }, 150_000);

  it('cancels a run waiting for an event after its enrichment child: the run ends cancelled, the child kept its result', async () => {
    const data = { userId: 'user-1', workflowId: HELD_FLOW.workflowId, triggerId: 'trigger-held', context: { leadId: 'lead-c2', email: 'bo.chen@acme.example' } };
    await producer.add('WORKFLOW_EXECUTION', data);
    const runId = workflowRunIdOf(data);
    runs.held = runId;
    await waitForRun(runId, 'waiting for never_sent', (run) => run.status === 'waiting' && run.currentStepId === 'hold');
    expect(await client.cancelWorkflowRun(runId)).toEqual({ found: true });

    const record = await waitForRun(runId, 'ended', (run) => ['completed', 'failed', 'cancelled'].includes(run.status));
    expect(record.status).toBe('cancelled');
    expect(record.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['enrich', 'completed'],
      ['hold', 'cancelled'],
    ]);
    const job = await waitFor('the run job to finish', async () => {
      const found = await runJob(runId);
      return found?.finishedOn ? found : undefined;
    });
    expect(job.returnvalue).toEqual({ runId, status: 'cancelled', steps: [expect.objectContaining({ stepId: 'enrich', status: 'completed' }), { stepId: 'hold', status: 'cancelled' }] });
    const child = await Job.fromId(producer.queue('enrichment'), `wf-${runId}-enrich-1`);
    expect(child?.returnvalue).toEqual(record.steps[0]?.output);
    expect(fleet.enrichmentRunsFor('lead-c2')).toBe(1);
  }, 150_000);

  it("keeps the runs' keys under <prefix>:{workflow}:workflow:run: in the workflow queue's slot, none under the untagged prefix", async () => {
    const { lead, held } = runs;
    if (!lead || !held) throw new Error('the run tests did not get as far as adding their runs');
    const slot = await admin.cluster('KEYSLOT', `${tagged}:workflow:wait`);
    for (const key of [`${tagged}:workflow:run:${lead}`, `${tagged}:workflow:run:${lead}:events`, `${tagged}:workflow:run:${held}`, `${tagged}:workflow:run:${held}:cancel`]) {
      expect([key, await admin.exists(key)]).toEqual([key, 1]);
      expect(await admin.cluster('KEYSLOT', key)).toBe(slot);
    }
    expect(await admin.hget(`${tagged}:workflow:def:${LEAD_FLOW.workflowId}`, 'latest')).toBe('1');
    // Every master: nothing under `<prefix>:workflow:` (where a standalone Redis keeps them).
    for (const node of admin.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `${prefix}:workflow:*`, 'COUNT', 100_000);
      expect(keys).toEqual([]);
    }
  });

  it('shuts down without a failed step or a forced exit, and leaves no connection on any master', async () => {
    const started = app!;
    expect((await clientLists()).flat().some((line) => line.includes(' name=workflow-worker:state '))).toBe(true);
    await started.shutdown.shutdown('test');
    expect(exitCodes).toEqual([]);
    expect(sink.lines.filter((l) => l['msg'] === 'shutdown step failed')).toEqual([]);
    expect(sink.lines.at(-1)?.['msg']).toBe('shutdown complete');
    await waitFor('no workflow-worker:state connection on any master', async () => !(await clientLists()).flat().some((line) => line.includes(' name=workflow-worker:state ')), {
      timeoutMs: 30_000,
    });
    // The test's own clients and the child workers next: then only `admin` may be left.
    await Promise.all([client.close(), producer.close()]);
    await fleet.close();
    // Judged by client id, not by count: see waitForNoClientsSince.
    await waitForNoClientsSince(admin, clientsMark, 'no connection but the test admin on any master');
  }, 90_000);
});
