import { waitFor } from '@jobs/test-support';
import { startWorkerTestBed, workflowData, type WorkerTestBed } from '../test-support/worker-test-bed';
import { DATA_NOT_JSON_REASON, DATA_TOO_DEEP_REASON } from './guarded-worker';
import { MAX_JOB_DATA_DEPTH } from './json-depth';

// Anyone with access to Redis can write a job's data field; the worker must fail such a job on
// its first pick-up, never leave it active to stall and be picked again.
describe('poison job data', () => {
  let bed: WorkerTestBed;
  let calls: number;
  beforeEach(async () => {
    bed = await startWorkerTestBed('poison');
    calls = 0;
  });
  afterEach(() => bed.close());

  /** Adds a job to the paused queue, overwrites its stored data with `raw`, and resumes. */
  const addWithRawData = async (raw: string) => {
    await bed.rawQueue.pause();
    const job = await bed.rawQueue.add('WORKFLOW_EXECUTION', workflowData('w'), { attempts: 3, backoff: 1 });
    await bed.redis.hset(bed.rawQueue.toKey(job.id!), 'data', raw);
    bed.start({
      WORKFLOW_EXECUTION: async () => {
        calls++;
        throw new Error('the handler must not run');
      },
    });
    await bed.rawQueue.resume();
    await waitFor('the job to fail', async () => (await bed.rawQueue.getJobState(job.id!)) === 'failed', { timeoutMs: 30_000 });
    // Read raw: BullMQ's Job.fromId would itself throw on the data.
    const hash = await bed.redis.hgetall(bed.rawQueue.toKey(job.id!));
    return { data: hash['data'], failedReason: hash['failedReason'], attemptsMade: Number(hash['atm'] ?? 0), stalledCounter: Number(hash['stc'] ?? 0) };
  };

  it.each(['{not json', '', '{"userId":"u",', 'undefined', '\u0000'])('fails data %j that is not JSON at once, without retries', async (raw) => {
    // An empty field is read by BullMQ as "{}" (then refused by the contract): failed at once too.
    const stored = await addWithRawData(raw);
    expect(stored.attemptsMade).toBe(1);
    if (raw === '') expect(stored.failedReason).toMatch(/job data: userId/);
    else expect(stored.failedReason).toBe(DATA_NOT_JSON_REASON);
    expect(stored.stalledCounter).toBe(0);
    expect(calls).toBe(0);
    // The stored data is left as it was, for whoever investigates.
    expect(stored.data).toBe(raw);
  });

  it.each([MAX_JOB_DATA_DEPTH + 1, 10_000, 200_000])('fails data nested %i levels deep at once, naming the bound, no RangeError retried', async (levels) => {
    // `{"userId":"u","x":{"x":{...}}}`: the data object is level 1.
    const raw = `{"userId":"u","workflowId":"w","x":${'{"x":'.repeat(levels - 2)}{}${'}'.repeat(levels - 2)}}`;
    const stored = await addWithRawData(raw);
    expect(stored.attemptsMade).toBe(1);
    expect(stored.failedReason).toBe(DATA_TOO_DEEP_REASON);
    expect(calls).toBe(0);
    expect(bed.lines.some((l) => JSON.stringify(l).includes('RangeError'))).toBe(false);
  }, 30_000);

  it('lets data nested exactly to the bound through to the contract', async () => {
    const levels = MAX_JOB_DATA_DEPTH;
    const raw = `{"userId":"u","workflowId":"w","x":${'{"x":'.repeat(levels - 2)}{}${'}'.repeat(levels - 2)}}`;
    const stored = await addWithRawData(raw);
    expect(stored.failedReason).not.toBe(DATA_TOO_DEEP_REASON);
  });
});
