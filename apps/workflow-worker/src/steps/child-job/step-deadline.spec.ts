import { Worker } from 'bullmq';
import { JobProducer, redisSettingsFromEnv, type AddedJob, type JobData } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { createLogger, WaitError, type JobContext } from '@jobs/worker-kit';
import { createStepDeadlineHandler } from './step-deadline';

const url = testRedisUrl();

describe('createStepDeadlineHandler on its own (real Redis, run and child jobs set up by hand)', () => {
  let prefix: string;
  let producer: JobProducer;
  const workers: Worker[] = [];

  beforeEach(() => {
    prefix = uniquePrefix('wf-deadline');
    producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await producer.close();
    await deletePrefix(url, prefix);
  });

  /** A run job (delayed when `delayMs`) with one pending call as its flow child. */
  async function runWithPendingCall(delayMs?: number): Promise<{ run: AddedJob<'WORKFLOW_EXECUTION'>; data: JobData<'WORKFLOW_STEP_DEADLINE'> }> {
    const run = await producer.add('WORKFLOW_EXECUTION', { userId: 'u-1', workflowId: 'wf', triggerId: 't-1', context: {}, runId: 'r-1' }, delayMs ? { delay: delayMs } : {});
    const childJobId = 'wf-r-1-call-1';
    await producer.add(
      'VOICE_CALL',
      { userId: 'u-1', callId: 'c-1', phoneNumber: '+14155550123', assistantId: 'a-1' },
      { jobId: childJobId, parent: { id: run.id as string, queue: run.queueQualifiedName }, ignoreDependencyOnFailure: true },
    );
    return { run, data: { runId: 'r-1', runJobId: run.id as string, stepId: 'call', childQueue: 'voice', childJobId } };
  }

  function handle(data: JobData<'WORKFLOW_STEP_DEADLINE'>) {
    const ctx = { data, log: createLogger({ level: 'silent' }) } as unknown as JobContext<'WORKFLOW_STEP_DEADLINE'>;
    return createStepDeadlineHandler({ producer })(ctx);
  }

  it('leaves a run that is not waiting for children alone (it resumes by itself and the step enforces the deadline): the pending child is not touched', async () => {
    const { data } = await runWithPendingCall(60_000);
    await expect(handle(data)).resolves.toEqual({ outcome: 'already-finished' });
    expect(await producer.queue('voice').getJobState(data.childJobId)).toBe('waiting');
  });

  it('asks to look again later while the run job is active with the child pending (it may be about to park in waiting-children)', async () => {
    const { run, data } = await runWithPendingCall();
    const worker = new Worker('workflow', null, { connection: { url }, prefix, autorun: false });
    workers.push(worker);
    const taken = await worker.getNextJob('token-1');
    expect(taken?.id).toBe(run.id);
    await expect(handle(data)).rejects.toBeInstanceOf(WaitError);
    expect(await producer.queue('voice').getJobState(data.childJobId)).toBe('waiting');
  });

  it('says already-finished for a child that is gone, and run-gone for a run job that is', async () => {
    const { data } = await runWithPendingCall(60_000);
    await expect(handle({ ...data, childJobId: 'wf-r-1-call-9' })).resolves.toEqual({ outcome: 'already-finished' });
    await expect(handle({ ...data, runJobId: 'wfrun-nope' })).resolves.toEqual({ outcome: 'run-gone' });
  });
});
