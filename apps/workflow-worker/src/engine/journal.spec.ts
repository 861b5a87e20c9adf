import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { workflowKeys, type WorkflowRunRecord } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { JournalFencedError } from './journal-fenced-error';
import { RunJournal } from './journal';
import { RunRecordCorruptError } from './run-record-corrupt-error';

const record = (runId: string, jobId: string): WorkflowRunRecord => ({
  v: 1,
  runId,
  jobId,
  userId: 'u',
  workflowId: 'w',
  triggerId: 't',
  definitionVersion: 1,
  status: 'running',
  createdAt: 1,
  updatedAt: 1,
  context: {},
  executedSteps: 0,
  currentStepId: 's',
  steps: [],
});

describe('RunJournal: writes fenced by the job lock', () => {
  const prefix = uniquePrefix('journal');
  const redis = new Redis(testRedisUrl());
  const queueRedis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queue = new Queue('workflow', { connection: queueRedis, prefix });
  afterAll(async () => {
    await queue.close();
    queueRedis.disconnect();
    await deletePrefix(testRedisUrl(), prefix);
    redis.disconnect();
  });

  it('writes while the lock holds our token, refuses a wrong token and a job whose lock is gone', async () => {
    await queue.add('WORKFLOW_EXECUTION', {}, { jobId: 'wfrun-r1' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let token = '';
    const workerRedis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const worker = new Worker(
      'workflow',
      async (job) => {
        token = job.token as string;
        await held;
      },
      { connection: workerRedis, prefix },
    );
    try {
      await waitFor('the job to be locked', () => token !== '');
      const keys = workflowKeys(prefix);
      const mine = new RunJournal(redis, prefix, 'r1', { lockKey: keys.jobLock('wfrun-r1'), jobId: 'wfrun-r1', token });
      await mine.write(record('r1', 'wfrun-r1'));
      expect(await mine.read()).toEqual(record('r1', 'wfrun-r1'));
      expect(await redis.pttl(keys.run('r1'))).toBe(-1);

      const other = new RunJournal(redis, prefix, 'r1', { lockKey: keys.jobLock('wfrun-r1'), jobId: 'wfrun-r1', token: 'someone-else' });
      await expect(other.write({ ...record('r1', 'wfrun-r1'), executedSteps: 99 })).rejects.toBeInstanceOf(JournalFencedError);
      expect((await mine.read())?.executedSteps).toBe(0);

      await mine.write({ ...record('r1', 'wfrun-r1'), status: 'completed' }, 60_000);
      expect(await redis.pttl(keys.run('r1'))).toBeGreaterThan(50_000);

      release();
      await waitFor('the lock to be released', async () => (await redis.exists(keys.jobLock('wfrun-r1'))) === 0);
      await expect(mine.write(record('r1', 'wfrun-r1'))).rejects.toBeInstanceOf(JournalFencedError);
      expect((await mine.read())?.status).toBe('completed');
    } finally {
      release();
      await worker.close();
      workerRedis.disconnect();
    }
  });

  it('a stored value that is not a valid record is RunRecordCorruptError', async () => {
    const keys = workflowKeys(prefix);
    const journal = new RunJournal(redis, prefix, 'r2', { lockKey: keys.jobLock('x'), jobId: 'x', token: 't' });
    expect(await journal.read()).toBeNull();
    await redis.set(keys.run('r2'), '{"v":1');
    await expect(journal.read()).rejects.toBeInstanceOf(RunRecordCorruptError);
    await redis.set(keys.run('r2'), JSON.stringify({ v: 2 }));
    await expect(journal.read()).rejects.toThrow(/run r2: stored run record is unreadable/);
  });
});
