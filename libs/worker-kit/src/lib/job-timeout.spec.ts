import { Job } from 'bullmq';
import { waitFor } from '@jobs/test-support';
import { PermanentJobError } from './job-errors';
import { startWorkerTestBed, workflowData, type WorkerTestBed } from '../test-support/worker-test-bed';
import { JobTimeoutError } from './job-timeout-error';

describe('per-job maximum run time', () => {
  let bed: WorkerTestBed;
  beforeEach(async () => {
    bed = await startWorkerTestBed('timeout');
  });
  afterEach(() => bed.close());

  it('fails a handler that never settles as timed out, frees the only slot for the next job, and still closes', async () => {
    const reasons: unknown[] = [];
    const ran: string[] = [];
    const worker = bed.start(
      {
        WORKFLOW_EXECUTION: async ({ data, signal }) => {
          ran.push(data.workflowId);
          if (data.workflowId === 'stuck') {
            signal.addEventListener('abort', () => reasons.push(signal.reason));
            return new Promise(() => undefined); // never settles, ignores its signal
          }
          // Ends the job at once whatever the result contract: it ran, which is what counts here.
          throw new PermanentJobError('next job ran');
        },
      },
      { WORKER_CONCURRENCY: '1', WORKER_JOB_TIMEOUT_MS: '400' },
    );
    const stuck = await bed.producer.add('WORKFLOW_EXECUTION', workflowData('stuck'), { attempts: 2 });
    const next = await bed.producer.add('WORKFLOW_EXECUTION', workflowData('next'));
    await expect(next.waitUntilFinished(bed.events, 20_000)).rejects.toThrow('next job ran');
    await waitFor('the stuck job to fail for good', async () => (await bed.rawQueue.getJobState(stuck.id!)) === 'failed', { timeoutMs: 20_000 });
    const stored = (await Job.fromId(bed.rawQueue, stuck.id!))!;
    // Both attempts used (a transient failure, retried with backoff), both timed out.
    expect(stored.attemptsMade).toBe(2);
    expect(stored.failedReason).toBe('job timed out: its handler ran longer than 400 ms');
    expect(reasons).toHaveLength(2);
    expect(ran.filter((id) => id === 'stuck')).toHaveLength(2);
    expect(reasons.every((r) => r instanceof JobTimeoutError)).toBe(true);
    expect(worker.activeJobCount()).toBe(0);
    // Nothing holds the worker: close() returns (the test's own timeout catches a hang).
    await worker.close(5000);
    expect(await worker.worker.isRunning()).toBe(false);
  }, 60_000);

  it('takes a job type\'s own maximum over WORKER_JOB_TIMEOUT_MS', async () => {
    bed.start(
      { WORKFLOW_EXECUTION: () => new Promise(() => undefined) },
      { WORKER_JOB_TIMEOUT_MS: '3600000' },
      { jobTimeoutsMs: { WORKFLOW_EXECUTION: 300 } },
    );
    const job = await bed.producer.add('WORKFLOW_EXECUTION', workflowData('w'), { attempts: 1 });
    await expect(job.waitUntilFinished(bed.events, 20_000)).rejects.toThrow('job timed out: its handler ran longer than 300 ms');
  });

  it('refuses a per-type maximum that is not a positive integer within the timer range', async () => {
    expect(() => bed.start({ WORKFLOW_EXECUTION: () => new Promise(() => undefined) }, {}, { jobTimeoutsMs: { WORKFLOW_EXECUTION: 0 } })).toThrow(
      /jobTimeoutsMs.WORKFLOW_EXECUTION must be an integer/,
    );
  });
});
