import { FlowProducer, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { closeQueues, configureProducers } from '../producers';
import { ioRedisOptions, redisSettingsFromEnv } from '../redis-env';
import type { WorkflowDefinitionInput } from './definition-schema';
import { InvalidWorkflowRequestError } from './invalid-workflow-request-error';
import type { WorkflowRunRecord } from './run-record-schema';
import { UnreadableWorkflowRecordError } from './unreadable-workflow-record-error';
import { getWorkflowDefinition, listWorkflowDefinitionVersions, saveWorkflowDefinition } from './workflow-api';
import { WorkflowClient } from './workflow-client';
import { WorkflowDefinitionError } from './workflow-definition-error';
import { workflowKeys } from './workflow-keys';
import { workflowRunJobId } from './workflow-run-id';

const url = testRedisUrl();
const redis = redisSettingsFromEnv({ REDIS_URL: url });
const HOUR_MS = 3600_000;

const definition = (name: string): WorkflowDefinitionInput => ({
  workflowId: 'wf_inbound',
  name,
  steps: [
    { id: 'wait', kind: 'wait_for_event', event: 'email_replied', timeoutMs: HOUR_MS, onTimeout: 'done' },
    { id: 'done', kind: 'end', output: 'steps.wait' },
  ],
});

const runData = (runId: string) => ({ userId: 'u', workflowId: 'wf_inbound', triggerId: `t-${runId}`, context: {}, runId });
const leadData = { userId: 'u', leads: [{ id: 'lead_1', email: 'a@example.com' }], batchSize: 5 };

/** A run record waiting for its child job `childJobId` on queue enrichment. */
const waitingRecord = (runId: string, childJobId: string): WorkflowRunRecord => ({
  v: 1,
  runId,
  jobId: workflowRunJobId(runId),
  userId: 'u',
  workflowId: 'wf_inbound',
  triggerId: `t-${runId}`,
  definitionVersion: 1,
  status: 'waiting',
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_500,
  context: { leadId: 'lead_1' },
  executedSteps: 1,
  currentStepId: 'enrich',
  steps: [{ stepId: 'enrich', kind: 'enrich_lead', status: 'waiting', attempts: 1, startedAt: 1_700_000_000_100, childJob: { queue: 'enrichment', jobId: childJobId } }],
});

describe('WorkflowClient', () => {
  let prefix: string;
  let client: WorkflowClient;
  let raw: Redis;
  let queues: Queue[];

  const queue = (name: string) => {
    const q = new Queue(name, { connection: ioRedisOptions(redis, 'producer'), prefix });
    queues.push(q);
    return q;
  };

  beforeEach(() => {
    prefix = uniquePrefix('wfclient');
    client = new WorkflowClient({ redis, prefix });
    raw = new Redis(url);
    queues = [];
  });
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await client.close();
    raw.disconnect();
    await deletePrefix(url, prefix);
  });

  describe('definitions', () => {
    it('save twice: versions [1, 2]; get(id) is the latest, get(id, 1) the first', async () => {
      expect(await client.saveWorkflowDefinition(definition('first'))).toEqual({ workflowId: 'wf_inbound', version: 1 });
      expect(await client.saveWorkflowDefinition(definition('second'))).toEqual({ workflowId: 'wf_inbound', version: 2 });
      expect(await client.listWorkflowDefinitionVersions('wf_inbound')).toEqual([1, 2]);
      expect(await client.getWorkflowDefinition('wf_inbound')).toEqual({ version: 2, definition: definition('second') });
      expect(await client.getWorkflowDefinition('wf_inbound', 1)).toEqual({ version: 1, definition: definition('first') });
      expect(await client.getWorkflowDefinition('wf_inbound', 3)).toBeNull();
      expect(await client.getWorkflowDefinition('wf_other')).toBeNull();
      expect(await client.listWorkflowDefinitionVersions('wf_other')).toEqual([]);
      expect(await raw.hget(workflowKeys(prefix).def('wf_inbound'), 'latest')).toBe('2');
    });

    it('saves concurrent versions atomically: ten saves at once get versions 1-10', async () => {
      const saved = await Promise.all(Array.from({ length: 10 }, (_, i) => client.saveWorkflowDefinition(definition(`v${i}`))));
      expect(saved.map((s) => s.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('refuses a bad definition naming the step path, storing nothing', async () => {
      const bad = definition('bad');
      bad.steps[0] = { ...bad.steps[0], onTimeout: 'follow_up' } as never;
      await expect(client.saveWorkflowDefinition(bad)).rejects.toThrow(WorkflowDefinitionError);
      await expect(client.saveWorkflowDefinition(bad)).rejects.toThrow('steps[0].onTimeout: no step "follow_up" in this definition');
      expect(await client.listWorkflowDefinitionVersions('wf_inbound')).toEqual([]);
    });

    it('a stored version that no longer validates is an error naming the key and field', async () => {
      await raw.hset(workflowKeys(prefix).def('wf_inbound'), 'latest', '1', '1', '{"workflowId":"wf_inbound","steps":[]}');
      const err = await client.getWorkflowDefinition('wf_inbound').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreadableWorkflowRecordError);
      expect((err as Error).message).toBe(`Unreadable workflow record at Redis key "${prefix}:workflow:def:wf_inbound field 1": Invalid workflow definition: steps: must have at least one step`);
    });

    it('refuses a version that is not a positive integer', async () => {
      await expect(client.getWorkflowDefinition('wf_inbound', 0)).rejects.toThrow('version: must be a positive integer (was 0)');
    });

    it('module-level functions use the configured producer', async () => {
      await configureProducers({ redis, prefix });
      try {
        expect(await saveWorkflowDefinition(definition('module'))).toEqual({ workflowId: 'wf_inbound', version: 1 });
        expect((await getWorkflowDefinition('wf_inbound'))?.definition.name).toBe('module');
        expect(await listWorkflowDefinitionVersions('wf_inbound')).toEqual([1]);
      } finally {
        await closeQueues();
      }
    });
  });

  describe('signals', () => {
    it('signal twice: delivered, then already-signalled; the first payload is kept', async () => {
      await raw.set(workflowKeys(prefix).run('run-1'), JSON.stringify(waitingRecord('run-1', 'c')));
      expect(await client.signalWorkflowRun('run-1', 'email_replied', { messageId: 'm1' })).toEqual({ delivered: true });
      expect(await client.signalWorkflowRun('run-1', 'email_replied', { messageId: 'm2' })).toEqual({ delivered: false, reason: 'already-signalled' });
      const key = workflowKeys(prefix).events('run-1');
      expect(JSON.parse((await raw.hget(key, 'email_replied'))!)).toEqual({ payload: { messageId: 'm1' }, at: expect.any(Number) });
      expect(await raw.pttl(key)).toBeGreaterThan(0);
      expect(await client.signalWorkflowRun('run-1', 'meeting_booked')).toEqual({ delivered: true });
      expect(JSON.parse((await raw.hget(key, 'meeting_booked'))!)).toEqual({ at: expect.any(Number) });
    });

    it('a run that does not exist (no record, no job): no-such-run, nothing written', async () => {
      expect(await client.signalWorkflowRun('run-none', 'email_replied', { messageId: 'm1' })).toEqual({ delivered: false, reason: 'no-such-run' });
      expect(await raw.exists(workflowKeys(prefix).events('run-none'))).toBe(0);
    });

    it('a run whose record says it ended: run-ended, nothing written', async () => {
      for (const status of ['completed', 'failed', 'cancelled'] as const) {
        const runId = `run-ended-${status}`;
        await raw.set(workflowKeys(prefix).run(runId), JSON.stringify({ ...waitingRecord(runId, 'c'), status, endedAt: 1_700_000_001_000, steps: [] }));
        expect(await client.signalWorkflowRun(runId, 'email_replied')).toEqual({ delivered: false, reason: 'run-ended' });
        expect(await raw.exists(workflowKeys(prefix).events(runId))).toBe(0);
      }
    });

    it('a record that is not JSON counts as a run not ended: delivered', async () => {
      await raw.set(workflowKeys(prefix).run('run-12'), '{"v":1,');
      expect(await client.signalWorkflowRun('run-12', 'email_replied')).toEqual({ delivered: true });
    });

    it('a queued run with no record yet (its job exists): the early signal is delivered and kept', async () => {
      await queue('workflow').add('WORKFLOW_EXECUTION', runData('run-11'), { jobId: workflowRunJobId('run-11') });
      expect(await client.signalWorkflowRun('run-11', 'email_replied', { messageId: 'early' })).toEqual({ delivered: true });
      expect(JSON.parse((await raw.hget(workflowKeys(prefix).events('run-11'), 'email_replied'))!)).toEqual({ payload: { messageId: 'early' }, at: expect.any(Number) });
      expect(await client.signalWorkflowRun('run-11', 'email_replied')).toEqual({ delivered: false, reason: 'already-signalled' });
    });

    it('promotes the run job when it is delayed', async () => {
      const workflow = queue('workflow');
      await workflow.add('WORKFLOW_EXECUTION', runData('run-2'), { jobId: workflowRunJobId('run-2'), delay: HOUR_MS });
      expect(await workflow.getJobState(workflowRunJobId('run-2'))).toBe('delayed');
      expect(await client.signalWorkflowRun('run-2', 'email_replied')).toEqual({ delivered: true });
      expect(await workflow.getJobState(workflowRunJobId('run-2'))).toBe('waiting');
      // Not delayed any more: a second signal changes nothing and does not throw.
      expect(await client.signalWorkflowRun('run-2', 'email_replied')).toEqual({ delivered: false, reason: 'already-signalled' });
      expect(await workflow.getJobState(workflowRunJobId('run-2'))).toBe('waiting');
    });

    it('refuses a bad event name, run id or payload, naming the argument', async () => {
      await expect(client.signalWorkflowRun('run-1', 'email replied')).rejects.toThrow(/^name: must be 1-64 characters/);
      await expect(client.signalWorkflowRun('run:1', 'x')).rejects.toThrow(/^runId: /);
      await expect(client.signalWorkflowRun('run-1', 'x', { big: 'x'.repeat(70_000) })).rejects.toThrow(/^payload: must be at most 65536 bytes as JSON/);
      await expect(client.signalWorkflowRun('run-1', 'x', { at: new Date() } as never)).rejects.toThrow(InvalidWorkflowRequestError);
      expect(await raw.exists(workflowKeys(prefix).events('run-1'))).toBe(0);
    });
  });

  describe('cancel', () => {
    it('a delayed run job and its waiting child on another queue: flag set, job promoted, child removed', async () => {
      const workflow = queue('workflow');
      const enrichment = queue('enrichment');
      const run = await workflow.add('WORKFLOW_EXECUTION', runData('run-3'), { jobId: workflowRunJobId('run-3'), delay: HOUR_MS });
      await enrichment.add('LEAD_ENRICHMENT', leadData, { jobId: 'wf-run-3-enrich-1', parent: { id: run.id!, queue: run.queueQualifiedName }, ignoreDependencyOnFailure: true });
      await raw.set(workflowKeys(prefix).run('run-3'), JSON.stringify(waitingRecord('run-3', 'wf-run-3-enrich-1')));

      expect(await client.cancelWorkflowRun('run-3')).toEqual({ found: true });
      expect(await raw.get(workflowKeys(prefix).cancel('run-3'))).toBe('1');
      expect(await enrichment.getJobState('wf-run-3-enrich-1')).toBe('unknown');
      expect(await workflow.getJobState(run.id!)).toBe('waiting');
    });

    it('a run waiting for its child (waiting-children): the child removed wakes the run', async () => {
      const flows = new FlowProducer({ connection: ioRedisOptions(redis, 'producer'), prefix });
      try {
        await flows.add({
          name: 'WORKFLOW_EXECUTION',
          queueName: 'workflow',
          data: runData('run-4'),
          opts: { jobId: workflowRunJobId('run-4') },
          children: [{ name: 'LEAD_ENRICHMENT', queueName: 'enrichment', data: leadData, opts: { jobId: 'wf-run-4-enrich-1', ignoreDependencyOnFailure: true } }],
        });
      } finally {
        await flows.close();
      }
      const workflow = queue('workflow');
      expect(await workflow.getJobState(workflowRunJobId('run-4'))).toBe('waiting-children');
      await raw.set(workflowKeys(prefix).run('run-4'), JSON.stringify(waitingRecord('run-4', 'wf-run-4-enrich-1')));

      expect(await client.cancelWorkflowRun('run-4')).toEqual({ found: true });
      expect(await queue('enrichment').getJobState('wf-run-4-enrich-1')).toBe('unknown');
      expect(await workflow.getJobState(workflowRunJobId('run-4'))).toBe('waiting');
    });

    it('leaves a child that already started', async () => {
      const enrichment = queue('enrichment');
      const workflow = queue('workflow');
      const run = await workflow.add('WORKFLOW_EXECUTION', runData('run-5'), { jobId: workflowRunJobId('run-5'), delay: HOUR_MS });
      await enrichment.add('LEAD_ENRICHMENT', leadData, { jobId: 'wf-run-5-enrich-1', parent: { id: run.id!, queue: run.queueQualifiedName }, ignoreDependencyOnFailure: true });
      // Take the child as a worker would (it is then active, locked by the token).
      const worker = new Worker('enrichment', null, { connection: ioRedisOptions(redis, 'worker'), prefix, autorun: false });
      try {
        const taken = await worker.getNextJob('token-1');
        expect(taken?.id).toBe('wf-run-5-enrich-1');
        await raw.set(workflowKeys(prefix).run('run-5'), JSON.stringify(waitingRecord('run-5', 'wf-run-5-enrich-1')));
        expect(await client.cancelWorkflowRun('run-5')).toEqual({ found: true });
        expect(await enrichment.getJobState('wf-run-5-enrich-1')).toBe('active');
      } finally {
        await worker.close(true);
      }
    });

    it('an unknown run: found false, no flag left', async () => {
      expect(await client.cancelWorkflowRun('run-none')).toEqual({ found: false });
      expect(await raw.exists(workflowKeys(prefix).cancel('run-none'))).toBe(0);
    });

    it('a run that already ended: found, left as it is, no flag', async () => {
      const record: WorkflowRunRecord = { ...waitingRecord('run-10', 'c'), status: 'completed', endedAt: 1_700_000_001_000, steps: [] };
      await raw.set(workflowKeys(prefix).run('run-10'), JSON.stringify(record));
      expect(await client.cancelWorkflowRun('run-10')).toEqual({ found: true });
      expect(await raw.exists(workflowKeys(prefix).cancel('run-10'))).toBe(0);
      expect(await client.getWorkflowRun('run-10')).toEqual(record);
    });

    it('a run queued but not started (no record yet): found, flag set', async () => {
      await queue('workflow').add('WORKFLOW_EXECUTION', runData('run-6'), { jobId: workflowRunJobId('run-6') });
      expect(await client.cancelWorkflowRun('run-6')).toEqual({ found: true });
      expect(await raw.get(workflowKeys(prefix).cancel('run-6'))).toBe('1');
    });
  });

  describe('getWorkflowRun', () => {
    it('returns the stored record, parsed; null when there is none', async () => {
      const record = waitingRecord('run-7', 'wf-run-7-enrich-1');
      await raw.set(workflowKeys(prefix).run('run-7'), JSON.stringify(record));
      expect(await client.getWorkflowRun('run-7')).toEqual(record);
      expect(await client.getWorkflowRun('run-8')).toBeNull();
    });

    it('a corrupt record is an error naming the key', async () => {
      const key = workflowKeys(prefix).run('run-9');
      await raw.set(key, '{"v":1,"runId":');
      await expect(client.getWorkflowRun('run-9')).rejects.toThrow(`Unreadable workflow record at Redis key "${key}": not JSON (Unexpected end of JSON input)`);
      await raw.set(key, JSON.stringify({ ...waitingRecord('run-9', 'c'), v: 2 }));
      const err = await client.getWorkflowRun('run-9').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreadableWorkflowRecordError);
      expect((err as UnreadableWorkflowRecordError).key).toBe(key);
      expect((err as Error).message).toMatch(new RegExp(`^Unreadable workflow record at Redis key "${key}": v: `));
    });
  });
});
