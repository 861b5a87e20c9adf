import { Job } from 'bullmq';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { InvalidJobOptionsError } from '../errors';
import { JobProducer } from '../job-producer';
import { addWorkflowExecutionJob, closeQueues, configureProducers } from '../producers';
import { redisSettingsFromEnv } from '../redis-env';
import { deriveWorkflowRunId, workflowRunJobId } from './workflow-run-id';

const url = testRedisUrl();
const redis = redisSettingsFromEnv({ REDIS_URL: url });

/** Another millisecond, so a second add cannot share the first one's creation time (how the producer tells a taken id). */
const nextMs = () => new Promise((resolve) => setTimeout(resolve, 2));

describe('deriveWorkflowRunId / workflowRunJobId', () => {
  it('derive one run id per (workflowId, triggerId): run_ + 32 hex digits of sha256', () => {
    const id = deriveWorkflowRunId('wf_456', 'trigger_789');
    expect(id).toMatch(/^run_[0-9a-f]{32}$/);
    expect(deriveWorkflowRunId('wf_456', 'trigger_789')).toBe(id);
    expect(deriveWorkflowRunId('wf_456', 'trigger_790')).not.toBe(id);
    expect(deriveWorkflowRunId('ab', 'c')).not.toBe(deriveWorkflowRunId('a', 'bc'));
    expect(workflowRunJobId(id)).toBe(`wfrun-${id}`);
  });
});

describe('WORKFLOW_EXECUTION jobs', () => {
  let prefix: string;

  beforeEach(() => {
    prefix = uniquePrefix('wfjob');
  });
  afterEach(async () => {
    await closeQueues();
    await deletePrefix(url, prefix);
  });

  it("the seed's call keeps triggerId and context; the same (workflowId, triggerId) twice is one job", async () => {
    await configureProducers({ redis, prefix });
    // The seed README's call, verbatim.
    const seedCall = () =>
      addWorkflowExecutionJob({
        userId: 'user_123',
        workflowId: 'wf_456',
        triggerId: 'trigger_789',
        context: {
          leadId: 'lead_123',
          source: 'webhook',
        },
      });
    const first = await seedCall();
    await nextMs();
    const second = await seedCall();

    const runId = deriveWorkflowRunId('wf_456', 'trigger_789');
    expect(first.id).toBe(workflowRunJobId(runId));
    expect([first.alreadyExisted, second.alreadyExisted]).toEqual([false, true]);
    expect(second.id).toBe(first.id);

    const reader = new JobProducer({ redis, prefix });
    try {
      const stored = await Job.fromId(reader.queue('workflow'), first.id!);
      expect(stored?.data).toEqual({ userId: 'user_123', workflowId: 'wf_456', triggerId: 'trigger_789', context: { leadId: 'lead_123', source: 'webhook' } });
      expect(await reader.getQueueStats('workflow')).toMatchObject({ waiting: 1 });
    } finally {
      await reader.close();
    }
  });

  it("a caller's runId names the job; an explicit jobId wins; addBulk uses the run's id too", async () => {
    const producer = new JobProducer({ redis, prefix });
    try {
      const data = { userId: 'u', workflowId: 'wf', triggerId: 't', context: {} };
      expect((await producer.add('WORKFLOW_EXECUTION', { ...data, runId: 'my-run.1' })).id).toBe('wfrun-my-run.1');
      expect((await producer.add('WORKFLOW_EXECUTION', data, { jobId: 'custom' })).id).toBe('custom');
      const bulk = await producer.addBulk('WORKFLOW_EXECUTION', [{ data: { ...data, triggerId: 't2' } }, { data: { ...data, triggerId: 't2' } }]);
      expect(bulk.map((j) => j.id)).toEqual([workflowRunJobId(deriveWorkflowRunId('wf', 't2')), workflowRunJobId(deriveWorkflowRunId('wf', 't2'))]);
      expect(bulk.map((j) => j.alreadyExisted)).toEqual([false, true]);
      await expect(producer.add('WORKFLOW_EXECUTION', { ...data, runId: 'a:b' })).rejects.toThrow(/runId/);
    } finally {
      await producer.close();
    }
  });

  it('adds a child job on another queue under a run job, with a failure policy', async () => {
    const producer = new JobProducer({ redis, prefix });
    try {
      const run = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'wf', triggerId: 't', context: {} });
      const parent = { id: run.id!, queue: run.queueQualifiedName };
      const lead = { userId: 'u', leads: [{ id: 'lead_1', email: 'a@example.com' }], batchSize: 5 };
      const child = await producer.add('LEAD_ENRICHMENT', lead, { jobId: 'wf-r-s-1', parent, ignoreDependencyOnFailure: true });
      expect(child.parentKey).toBe(`${prefix}:workflow:${run.id}`);
      expect(child.opts.ignoreDependencyOnFailure).toBe(true);
      // The same child again (a step re-run after a crash): the job already there, one dependency.
      await nextMs();
      expect((await producer.add('LEAD_ENRICHMENT', lead, { jobId: 'wf-r-s-1', parent, ignoreDependencyOnFailure: true })).alreadyExisted).toBe(true);
      const stored = (await Job.fromId(producer.queue('workflow'), run.id!))!;
      expect(await stored.getDependenciesCount()).toMatchObject({ unprocessed: 1 });
    } finally {
      await producer.close();
    }
  });

  it('refuses a failure policy without parent, and two policies together', async () => {
    const producer = new JobProducer({ redis, prefix });
    try {
      const lead = { userId: 'u', leads: [{ id: 'lead_1', email: 'a@example.com' }], batchSize: 5 };
      await expect(producer.add('LEAD_ENRICHMENT', lead, { ignoreDependencyOnFailure: true })).rejects.toThrow(InvalidJobOptionsError);
      await expect(producer.add('LEAD_ENRICHMENT', lead, { ignoreDependencyOnFailure: true })).rejects.toThrow(/ignoreDependencyOnFailure: needs parent/);
      const parent = { id: 'x', queue: `${prefix}:workflow` };
      await expect(producer.add('LEAD_ENRICHMENT', lead, { parent, failParentOnFailure: true, ignoreDependencyOnFailure: true })).rejects.toThrow(
        /ignoreDependencyOnFailure: cannot be used together with failParentOnFailure/,
      );
      await expect(producer.add('LEAD_ENRICHMENT', lead, { parent: { id: 'x', queue: 'workflow' } })).rejects.toThrow(/parent\.queue/);
    } finally {
      await producer.close();
    }
  });
});
