import { existsSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { EXIT_CODES } from '../lib/exit-codes';
import { makeFailedJobs } from '../lib/failed-jobs/test-support/make-failed-jobs';
import { BUILT_CLI, runBuiltCli } from '../lib/failed-jobs/test-support/run-built-cli';

const JOBS = 10_000;

describe('jobs redrive (the built CLI, real Redis, 10 000 failed jobs)', () => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('cli-redrive');
  let connection: Redis;
  let queue: Queue;

  beforeAll(async () => {
    expect(existsSync(BUILT_CLI)).toBe(true);
    connection = new Redis(url, { maxRetriesPerRequest: null });
    queue = new Queue('seo', { connection, prefix });
    await makeFailedJobs(url, prefix, 'seo', Array.from({ length: JOBS }, (_, i) => ({ name: 'SEO_AUDIT', reason: `crawl failed ${i}` })));
  }, 180_000);

  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await deletePrefix(url, prefix);
  });

  it('--dry-run reports 10 000 and changes nothing', async () => {
    const run = await runBuiltCli(['redrive', 'seo', '--dry-run'], url, prefix);
    expect(run.code).toBe(EXIT_CODES.ok);
    expect(run.stdout).toMatch(/redrive \(dry run, nothing changed\): 10000 failed jobs would be re-run in 1 queue/);
    const json = await runBuiltCli(['redrive', 'seo', '--dry-run', '--json'], url, prefix);
    expect(json.code).toBe(EXIT_CODES.ok);
    const report = JSON.parse(json.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.totals).toEqual({ selected: JOBS, moved: 0, skipped: 0, errors: 0 });
    expect(report.queues[0].jobs).toHaveLength(JOBS);
    expect(await queue.getFailedCount()).toBe(JOBS);
    expect(await queue.getWaitingCount()).toBe(0);
  }, 120_000);

  it('moves all 10 000 back to wait with progress lines on stderr, and a worker completes them', async () => {
    const started = Date.now();
    const run = await runBuiltCli(['redrive', 'seo', '--json'], url, prefix);
    const elapsedMs = Date.now() - started;
    // Measured, not asserted: the README and the report quote it.
    process.stderr.write(`redrive of ${JOBS} jobs through the built CLI: ${elapsedMs} ms (process start included)\n`);
    expect(run.code).toBe(EXIT_CODES.ok);
    const done = [...run.stderr.matchAll(/^redrive: (\d+)\/10000 \(\d+%\) seo$/gm)].map((match) => Number(match[1]));
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBe(done.length);
    expect(done[done.length - 1]).toBe(JOBS);
    const report = JSON.parse(run.stdout);
    expect(report.totals).toEqual({ selected: JOBS, moved: JOBS, skipped: 0, errors: 0 });
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getWaitingCount()).toBe(JOBS);

    const job = await queue.getJob((await queue.getWaiting(0, 0))[0].id ?? '');
    expect(job?.attemptsMade).toBe(0);
    const workerConnection = new Redis(url, { maxRetriesPerRequest: null });
    const worker = new Worker('seo', async () => 'ok', { connection: workerConnection, prefix, concurrency: 200 });
    try {
      await waitFor(`${JOBS} completed`, async () => (await queue.getCompletedCount()) === JOBS, { timeoutMs: 120_000, intervalMs: 200 });
    } finally {
      await worker.close();
      workerConnection.disconnect();
    }
    expect(await queue.getFailedCount()).toBe(0);

    // Nothing failed any more: a second redrive finds nothing (exit 3) and moves nothing.
    const again = await runBuiltCli(['redrive', 'seo'], url, prefix);
    expect(again.code).toBe(EXIT_CODES.notFound);
    expect(again.stderr).toMatch(/no failed job matched in seo/);
  }, 240_000);

  it('Ctrl-C stops between batches: summary of what was done, exit 1, the rest still failed', async () => {
    const ads = new Queue('ads', { connection, prefix });
    try {
      await makeFailedJobs(url, prefix, 'ads', Array.from({ length: 2_000 }, (_, i) => ({ name: 'AD_ANALYSIS', reason: `quota ${i}` })));
      let interrupted = false;
      const run = await runBuiltCli(['redrive', 'ads', '--batch-size', '20', '--json'], url, prefix, (chunk, child) => {
        // The first progress line comes after the first batch: press Ctrl-C once.
        if (!interrupted && /^redrive: \d+\/2000/m.test(chunk)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      expect(interrupted).toBe(true);
      expect(run.code).toBe(EXIT_CODES.partialFailure);
      expect(run.stderr).toMatch(/stopped by Ctrl-C: \d+ of 2000 selected jobs handled/);
      const report = JSON.parse(run.stdout);
      expect(report.stopped).toBe(true);
      expect(report.totals.moved).toBeGreaterThan(0);
      expect(report.totals.moved).toBeLessThan(2_000);
      expect(await ads.getWaitingCount()).toBe(report.totals.moved);
      expect(await ads.getFailedCount()).toBe(2_000 - report.totals.moved);
    } finally {
      await ads.close();
    }
  }, 120_000);
});
