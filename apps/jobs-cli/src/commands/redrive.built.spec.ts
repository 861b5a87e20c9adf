import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { EXIT_CODES } from '../lib/exit-codes';
import { makeFailedJobs } from '../lib/failed-jobs/test-support/make-failed-jobs';
import { BUILT_CLI, runBuiltCli } from '../lib/failed-jobs/test-support/run-built-cli';
import { startRedisGate } from '../test-support/redis-gate';

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

  // The relay holds the CLI's commands from its second batch on: each job's move starts with
  // `HGET <job key> opts` (rerun-failed-jobs.ts), so the 21st such token is the second batch of 20.
  const secondBatch = { pattern: '$4\r\nopts\r\n', after: 20 };
  const redisAddress = () => {
    const { hostname, port } = new URL(url);
    return { host: hostname, port: Number(port || 6379) };
  };

  it('Ctrl-C stops between batches: the batch on its way completes, then a summary, exit 1, the rest still failed', async () => {
    const ads = new Queue('ads', { connection, prefix });
    const gate = await startRedisGate(redisAddress(), secondBatch);
    try {
      await makeFailedJobs(url, prefix, 'ads', Array.from({ length: 200 }, (_, i) => ({ name: 'AD_ANALYSIS', reason: `quota ${i}` })));
      let child: ChildProcess | undefined;
      let stderr = '';
      const running = runBuiltCli(['redrive', 'ads', '--batch-size', '20', '--json'], gate.url, prefix, (chunk, c) => {
        child = c;
        stderr += chunk;
      });
      // Batch 1 is done, batch 2 waits at the relay: press Ctrl-C, let batch 2 through once the CLI took it.
      await gate.held;
      // Its first progress line (batch 1 is a tenth of 200) came before batch 2 was sent.
      await waitFor('the first progress line', () => child !== undefined, { timeoutMs: 30_000 });
      child?.kill('SIGINT');
      await waitFor('the CLI saying it stops', () => stderr.includes('redrive: stopping after the current batch'), { timeoutMs: 30_000 });
      gate.release();
      const run = await running;
      expect(run.code).toBe(EXIT_CODES.partialFailure);
      expect(run.stderr).toMatch(/stopped by Ctrl-C: 40 of 200 selected jobs handled/);
      const report = JSON.parse(run.stdout);
      expect(report.stopped).toBe(true);
      expect(report.totals).toEqual({ selected: 200, moved: 40, skipped: 0, errors: 0 });
      expect(await ads.getWaitingCount()).toBe(40);
      expect(await ads.getFailedCount()).toBe(160);
    } finally {
      await gate.close();
      await ads.close();
    }
  }, 120_000);

  it('Redis going away mid-run: the report of what was moved is printed, then exit 4', async () => {
    const voice = new Queue('voice', { connection, prefix });
    const gate = await startRedisGate(redisAddress(), secondBatch);
    try {
      await makeFailedJobs(url, prefix, 'voice', Array.from({ length: 200 }, (_, i) => ({ name: 'VOICE_CALL', reason: `busy ${i}` })));
      const running = runBuiltCli(['redrive', 'voice', '--batch-size', '20', '--json'], gate.url, prefix);
      // Batch 1 is done, batch 2 waits at the relay: take Redis away (connections dropped, new ones refused).
      await gate.held;
      await gate.cut();
      const run = await running;
      expect(run.code).toBe(EXIT_CODES.redisUnavailable);
      expect(run.stderr).toMatch(/^jobs-cli: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable: /m);
      const report = JSON.parse(run.stdout);
      expect(report.totals).toEqual({ selected: 200, moved: 20, skipped: 0, errors: 0 });
      // Batch 2 never reached Redis, but the CLI cannot know: it says those 20 may or may not have moved.
      expect(report.redisUnavailable).toMatchObject({ uncertain: 20 });
      expect(await voice.getWaitingCount()).toBe(20);
      expect(await voice.getFailedCount()).toBe(180);
    } finally {
      await gate.close();
      await voice.close();
    }
  }, 120_000);
});
