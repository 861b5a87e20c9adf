import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { CliError } from '../cli-error';
import { EXIT_CODES } from '../exit-codes';
import { readFailedJobOptions } from './failed-job-options';
import { rerunFailedJobs } from './rerun-failed-jobs';
import { runBulkRerun } from './run-bulk-rerun';
import { makeFailedJobs } from './test-support/make-failed-jobs';
import { testCliContext } from './test-support/test-cli-context';

const url = testRedisUrl();
const specs = (n: number, name = 'SEO_AUDIT') => Array.from({ length: n }, (_, i) => ({ name, reason: `crawl failed ${i}` }));

describe('rerunFailedJobs (real Redis)', () => {
  let prefix: string;
  let connection: Redis;
  let queue: Queue;

  beforeEach(() => {
    prefix = uniquePrefix('cli-rerun');
    connection = new Redis(url, { maxRetriesPerRequest: null });
    queue = new Queue('seo', { connection, prefix });
  });
  afterEach(async () => {
    await queue.close();
    connection.disconnect();
    await deletePrefix(url, prefix);
  });

  it('moves failed jobs back to wait with attempts reset, and a worker then completes them', async () => {
    const ids = await makeFailedJobs(url, prefix, 'seo', specs(30));
    const outcome = await rerunFailedJobs(queue, ids, { batchSize: 7 });
    expect(outcome).toEqual({ moved: 30, skipped: 0, errors: [], stopped: false });
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getWaitingCount()).toBe(30);
    const job = await queue.getJob(ids[0]);
    expect(job?.attemptsMade).toBe(0);
    expect(job?.failedReason).toBeFalsy();

    const worker = new Worker('seo', async () => 'done', { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix, concurrency: 10 });
    try {
      await waitFor('30 completed', async () => (await queue.getCompletedCount()) === 30, { timeoutMs: 30_000 });
    } finally {
      await worker.close();
      (worker.opts.connection as Redis).disconnect();
    }
  });

  it('reads only what retry needs: a job whose data is not JSON still moves; LIFO goes to the head, a priority to prioritized', async () => {
    const [plain, lifo, urgent] = await makeFailedJobs(url, prefix, 'seo', specs(3));
    await queue.add('SEO_AUDIT', {}, { jobId: 'waiting-already' });
    // A job hash read whole (Job.fromId) would fail to parse this data.
    await connection.hset(queue.toKey(plain), 'data', '{not json');
    const opts = JSON.parse((await connection.hget(queue.toKey(lifo), 'opts')) ?? '{}');
    await connection.hset(queue.toKey(lifo), 'opts', JSON.stringify({ ...opts, lifo: true }));
    await connection.hset(queue.toKey(urgent), 'priority', '3');
    const outcome = await rerunFailedJobs(queue, [plain, lifo, urgent]);
    expect(outcome).toEqual({ moved: 3, skipped: 0, errors: [], stopped: false });
    // Workers take from the right: the LIFO job is next, the plain one after the job already waiting.
    expect(await connection.lrange(queue.keys.wait, 0, -1)).toEqual([plain, 'waiting-already', lifo]);
    expect(await queue.getJobState(urgent)).toBe('prioritized');
  });

  it('counts jobs moved by someone else mid-run as skipped, and a second run moves nothing', async () => {
    const ids = await makeFailedJobs(url, prefix, 'seo', specs(20));
    const other = new Queue('seo', { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix });
    try {
      const progress: number[] = [];
      const outcome = await rerunFailedJobs(queue, ids, {
        batchSize: 5,
        onProgress: async (handled) => {
          progress.push(handled);
          if (handled === 5) {
            // Another operator retries two jobs of a later batch and removes a third.
            await (await other.getJob(ids[12]))?.retry('failed');
            await (await other.getJob(ids[13]))?.retry('failed');
            await other.remove(ids[14]);
          }
        },
      });
      expect(progress).toEqual([5, 10, 15, 20]);
      expect(outcome.moved + outcome.skipped).toBe(20);
      expect(outcome.errors).toEqual([]);
      expect(outcome.skipped).toBe(3);
      expect(await queue.getWaitingCount()).toBe(19);

      const again = await rerunFailedJobs(queue, ids);
      expect(again).toEqual({ moved: 0, skipped: 20, errors: [], stopped: false });
      expect(await queue.getWaitingCount()).toBe(19);
    } finally {
      await other.close();
      (other.opts.connection as Redis).disconnect();
    }
  });

  it('stops between batches when the signal aborts', async () => {
    const ids = await makeFailedJobs(url, prefix, 'seo', specs(20));
    const controller = new AbortController();
    const outcome = await rerunFailedJobs(queue, ids, { batchSize: 5, signal: controller.signal, onProgress: (handled) => {
        if (handled === 10) controller.abort();
      } });
    expect(outcome).toEqual({ moved: 10, skipped: 0, errors: [], stopped: true });
    expect(await queue.getFailedCount()).toBe(10);
  });
});

describe('runBulkRerun (real Redis, in process)', () => {
  let prefix: string;
  let connection: Redis;

  beforeEach(() => {
    prefix = uniquePrefix('cli-bulk');
    connection = new Redis(url, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    connection.disconnect();
    await deletePrefix(url, prefix);
  });

  const options = (values: Partial<Parameters<typeof readFailedJobOptions>[0]> = {}) => readFailedJobOptions({ name: [], ...values }, Date.now());

  it('dry run changes nothing: failed count unchanged, every job still failed, and lists them', async () => {
    const ids = await makeFailedJobs(url, prefix, 'seo', specs(12));
    const test = testCliContext(connection, prefix);
    try {
      await runBulkRerun(test.ctx, { action: 'redrive', queues: ['seo'], options: options({ dryRun: true, json: true }) });
      const report = JSON.parse(test.stdout());
      expect(report.totals).toEqual({ selected: 12, moved: 0, skipped: 0, errors: 0 });
      expect(report.queues[0].jobs.map((job: { id: string }) => job.id).sort()).toEqual([...ids].sort());
      expect(report.queues[0].jobs[0]).toEqual({ id: expect.any(String), name: 'SEO_AUDIT', failedReason: expect.stringMatching(/^crawl failed \d+$/), failedAt: expect.any(String) });
      const queue = test.ctx.queue('seo');
      expect(await queue.getFailedCount()).toBe(12);
      for (const id of ids) expect(await queue.getJobState(id)).toBe('failed');
      expect(test.stderr()).toBe('');
    } finally {
      await test.close();
    }
  });

  it('retry of explicit ids: unknown id → exit 3 and nothing moved; none failed → exit 6', async () => {
    const ids = await makeFailedJobs(url, prefix, 'seo', specs(3));
    const test = testCliContext(connection, prefix);
    try {
      const unknown = runBulkRerun(test.ctx, { action: 'retry', queues: ['seo'], options: options(), ids: [ids[0], 'nope'] });
      await expect(unknown).rejects.toMatchObject({ exitCode: EXIT_CODES.notFound, message: 'no job nope in queue seo' });
      expect(await test.ctx.queue('seo').getFailedCount()).toBe(3);

      await runBulkRerun(test.ctx, { action: 'retry', queues: ['seo'], options: options(), ids: [ids[0], ids[1]] });
      expect(await test.ctx.queue('seo').getFailedCount()).toBe(1);
      const again = runBulkRerun(test.ctx, { action: 'retry', queues: ['seo'], options: options({ json: true }), ids: [ids[0], ids[1]] });
      await expect(again).rejects.toBeInstanceOf(CliError);
      await expect(again).rejects.toMatchObject({ exitCode: EXIT_CODES.conflict });
    } finally {
      await test.close();
    }
  });

  it('nothing matching → exit 3 after printing an empty report', async () => {
    await makeFailedJobs(url, prefix, 'seo', specs(2));
    const test = testCliContext(connection, prefix);
    try {
      const run = runBulkRerun(test.ctx, { action: 'redrive', queues: ['seo', 'ads'], options: options({ errorMatches: 'no such reason' }) });
      await expect(run).rejects.toMatchObject({ exitCode: EXIT_CODES.notFound, message: 'no failed job matched in seo, ads' });
      expect(test.stdout()).toMatch(/redrive: 0 of 0 selected jobs moved back to wait in 2 queues/);
    } finally {
      await test.close();
    }
  });

  it('Ctrl-C (the context signal) stops the run between batches with a summary and exit 1', async () => {
    await makeFailedJobs(url, prefix, 'seo', specs(40));
    const test = testCliContext(connection, prefix);
    try {
      // Abort as the first progress line is written (after the first batch), synchronously.
      const stderr = test.ctx.stderr as NodeJS.WritableStream & { write: (...args: unknown[]) => boolean };
      const write = stderr.write.bind(stderr);
      stderr.write = (...args: unknown[]) => {
        test.abort();
        return write(...args);
      };
      const run = runBulkRerun(test.ctx, { action: 'redrive', queues: ['seo'], options: options({ batchSize: '10', json: true }) });
      await expect(run).rejects.toMatchObject({ exitCode: EXIT_CODES.partialFailure, message: expect.stringMatching(/^stopped by Ctrl-C: 10 of 40/) });
      const report = JSON.parse(test.stdout());
      expect(report.stopped).toBe(true);
      expect(report.totals.moved).toBe(10);
      expect(await test.ctx.queue('seo').getFailedCount()).toBe(30);
    } finally {
      await test.close();
    }
  });
});
