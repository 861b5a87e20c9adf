import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { workflowKeys, workflowRunIdOf, type WorkflowRunRecord } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { createLogger } from '@jobs/worker-kit';
import { closeRunAfterJobFailed } from './close-run-after-job-failed';

const url = testRedisUrl();
const DATA = { userId: 'user-1', workflowId: 'wf', triggerId: 't-1', context: {} };
const RUN_ID = workflowRunIdOf(DATA);
const TTL_MS = 60_000;

describe('closeRunAfterJobFailed (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  const log = createLogger({ level: 'silent' });
  const deps = () => ({ redis, prefix, recordTtlMs: TTL_MS, now: () => 5000 });
  const job = (id: string, name = 'WORKFLOW_EXECUTION') => ({ id, name, data: DATA }) as unknown as Job;
  const key = () => workflowKeys(prefix).run(RUN_ID);
  const record = (over: Partial<WorkflowRunRecord> = {}): WorkflowRunRecord => ({
    v: 1,
    runId: RUN_ID,
    jobId: 'job-1',
    userId: 'user-1',
    workflowId: 'wf',
    triggerId: 't-1',
    definitionVersion: 1,
    status: 'running',
    createdAt: 1000,
    updatedAt: 1000,
    context: {},
    executedSteps: 1,
    currentStepId: 'a',
    steps: [{ stepId: 'a', kind: 'set', status: 'running', attempts: 1, startedAt: 1000 }],
    ...over,
  });

  beforeEach(() => {
    prefix = uniquePrefix('wf-close');
    redis = new Redis(url);
  });
  afterEach(async () => {
    redis.disconnect();
    await deletePrefix(url, prefix);
  });

  it("marks a running record of this job failed with the job's reason, with the ended-record TTL", async () => {
    await redis.set(key(), JSON.stringify(record()));
    expect(await closeRunAfterJobFailed(deps(), job('job-1'), new Error('job stalled more than allowable limit'), log)).toBe(true);
    const stored = JSON.parse((await redis.get(key())) as string) as WorkflowRunRecord;
    expect(stored).toMatchObject({ status: 'failed', endedAt: 5000, error: "the run's job failed for good: job stalled more than allowable limit" });
    expect(stored.steps[0]).toMatchObject({ status: 'failed', endedAt: 5000 });
    const ttl = await redis.pttl(key());
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
  });

  it("leaves alone a record of another job, a record that ended, other job names, and a missing record", async () => {
    expect(await closeRunAfterJobFailed(deps(), job('job-1'), new Error('x'), log)).toBe(false);
    for (const value of [record({ jobId: 'job-2' }), record({ status: 'completed', endedAt: 2000, currentStepId: undefined })]) {
      const raw = JSON.stringify(value);
      await redis.set(key(), raw);
      expect(await closeRunAfterJobFailed(deps(), job('job-1'), new Error('x'), log)).toBe(false);
      expect(await redis.get(key())).toBe(raw);
      expect(await redis.pttl(key())).toBe(-1);
    }
    await redis.set(key(), JSON.stringify(record()));
    expect(await closeRunAfterJobFailed(deps(), job('job-1', 'WORKFLOW_STEP_DEADLINE'), new Error('x'), log)).toBe(false);
  });
});
