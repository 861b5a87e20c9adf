import { JobProducer, WorkflowClient, deriveWorkflowRunId, redisSettingsFromEnv, workflowRunJobId, type WorkflowRunRecord } from '@jobs/queue-contracts';
import { deletePrefix, spawnWorkerProcess, testRedisUrl, uniquePrefix, waitFor, type WorkerProcess } from '@jobs/test-support';
import type { Job } from 'bullmq';
import { KILL_AT_ENV } from './kill-point';

const url = testRedisUrl();
const WORKFLOW_ID = 'two-crashes';

/** Three pure steps: the worker is SIGKILLed once after `a` is journaled, once after `b`. */
const DEFINITION = {
  workflowId: WORKFLOW_ID,
  steps: [
    { id: 'a', kind: 'set', values: { a: '1' } },
    { id: 'b', kind: 'set', values: { b: 'context.a + 1' } },
    { id: 'done', kind: 'end', output: '{ "a": context.a, "b": context.b }' },
  ],
};

describe('workflow-worker process: a run whose worker is SIGKILLed twice (BullMQ stalled count)', () => {
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const prefix = uniquePrefix('wf-stall');
  let producer: JobProducer;
  let client: WorkflowClient;
  const running: WorkerProcess[] = [];
  let scenario = 0;

  const startWorker = (env: Record<string, string>): WorkerProcess => {
    const w = spawnWorkerProcess('apps/workflow-worker/src/main.ts', {
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
      // The killed worker's lock expires within 2 s; the next worker's stalled check takes the run back.
      WORKER_LOCK_DURATION_MS: '2000',
      ...env,
    });
    running.push(w);
    return w;
  };

  const forget = (w: WorkerProcess) => running.splice(running.indexOf(w), 1);

  /** Runs the definition through a worker killed at a, a second killed at b, and a third; returns the finished job and the record. */
  async function runKilledTwice(env: Record<string, string>): Promise<{ job: Job | undefined; record: WorkflowRunRecord | null; finisher: WorkerProcess }> {
    scenario += 1;
    const triggerId = `trigger-${scenario}`;
    const jobId = workflowRunJobId(deriveWorkflowRunId(WORKFLOW_ID, triggerId));
    const queue = producer.queue('workflow');
    for (const [i, killAt] of ['a:after-journal', 'b:after-journal'].entries()) {
      const w = startWorker({ ...env, [KILL_AT_ENV]: killAt });
      await w.waitForLine((l) => l['msg'] === 'worker started', 60_000);
      if (i === 0) await producer.add('WORKFLOW_EXECUTION', { userId: 'user-1', workflowId: WORKFLOW_ID, triggerId, context: {} });
      expect(await w.exited).toMatchObject({ signal: 'SIGKILL' });
      forget(w);
    }
    const finisher = startWorker(env);
    await waitFor('the run job to finish', async () => (await queue.getJob(jobId))?.finishedOn, { timeoutMs: 60_000, intervalMs: 100 }).catch((err: unknown) => {
      process.stdout.write(`${JSON.stringify(finisher.lines.slice(-20), null, 1)}\n${finisher.stderr().slice(-3000)}\n`);
      throw err;
    });
    const runId = deriveWorkflowRunId(WORKFLOW_ID, triggerId);
    // The record is closed by the 'failed' event's hook, just after the job's move to failed.
    const record = await waitFor('the record to end', async () => {
      const r = await client.getWorkflowRun(runId);
      return r && r.status !== 'running' && r.status !== 'waiting' ? r : undefined;
    }, { timeoutMs: 10_000, intervalMs: 50 }).catch(() => client.getWorkflowRun(runId));
    finisher.child.kill('SIGTERM');
    await finisher.exited;
    forget(finisher);
    return { job: await queue.getJob(jobId), record, finisher };
  }

  beforeAll(async () => {
    producer = new JobProducer({ redis, prefix });
    client = new WorkflowClient({ redis, prefix });
    await client.saveWorkflowDefinition(DEFINITION);
  });

  afterAll(async () => {
    for (const w of running.splice(0)) {
      w.kill();
      await w.exited;
    }
    await Promise.all([producer?.close(), client?.close()]);
    await deletePrefix(url, prefix);
  }, 60_000);

  it("with the workflow worker's default (20 stalls allowed): the run resumes from its journal after each kill and completes, no step run twice", async () => {
    const { job, record } = await runKilledTwice({});
    expect(job?.failedReason).toBeUndefined();
    expect(job?.returnvalue).toMatchObject({ status: 'completed', output: { a: 1, b: 2 } });
    expect(Number(job?.stalledCounter ?? 0)).toBe(2);
    expect(record?.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual([
      ['a', 'completed', 1],
      ['b', 'completed', 1],
      ['done', 'completed', 1],
    ]);
  }, 180_000);

  it('with WORKER_MAX_STALLED_COUNT=1 (BullMQ\'s default): BullMQ fails the job outside the handler, and the hook marks the run failed with the reason', async () => {
    const { job, record, finisher } = await runKilledTwice({ WORKER_MAX_STALLED_COUNT: '1' });
    expect(job?.failedReason).toBe('job stalled more than allowable limit');
    expect(record).toMatchObject({ status: 'failed', error: "the run's job failed for good: job stalled more than allowable limit" });
    expect(record?.currentStepId).toBeUndefined();
    expect(record?.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
      ['done', 'failed'],
    ]);
    expect(finisher.lines.some((l) => l['msg'] === 'workflow run failed: its job failed for good outside the run (e.g. stalled too often)')).toBe(true);
  }, 180_000);
});
