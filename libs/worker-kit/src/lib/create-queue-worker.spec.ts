import { Writable } from 'node:stream';
import { DelayedError, Job, Queue, QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { createQueueWorker, type QueueWorker } from './create-queue-worker';
import { createLogger } from './create-logger';
import { loadWorkerConfig } from './worker-config';
import { PermanentJobError, RetryLaterError, WaitError, WorkerRateLimitError } from './job-errors';
import type { JobHandlers } from './job-handler';

const url = testRedisUrl();

/** Collects pino's JSON lines. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, log: createLogger({ level: 'debug', destination: stream }) };
}

describe('createQueueWorker', () => {
  let prefix: string;
  let producer: JobProducer;
  let rawQueue: Queue;
  let events: QueueEvents;
  let worker: QueueWorker | undefined;
  const config = () =>
    loadWorkerConfig({ concurrency: 2, maxJobsPerSecond: 100, healthPort: 0 }, { REDIS_URL: url, BULLMQ_PREFIX: prefix });

  beforeEach(async () => {
    prefix = uniquePrefix('worker');
    const redis = redisSettingsFromEnv({ REDIS_URL: url });
    producer = new JobProducer({ redis, prefix });
    rawQueue = new Queue('workflow', { connection: ioRedisOptions(redis, 'producer'), prefix });
    events = new QueueEvents('workflow', { connection: ioRedisOptions(redis, 'worker'), prefix });
    await events.waitUntilReady();
  });

  afterEach(async () => {
    await worker?.close(1000);
    worker = undefined;
    await Promise.all([producer.close(), rawQueue.close(), events.close()]);
    await deletePrefix(url, prefix);
  });

  function start(handlers: JobHandlers<'workflow'>) {
    const sink = logSink();
    worker = createQueueWorker({ queue: 'workflow', handlers, config: config(), log: sink.log });
    return sink;
  }

  it('runs the handler with parsed data, a bound child logger and a signal, and stores the checked result', async () => {
    let seen: unknown;
    const sink = start({
      WORKFLOW_EXECUTION: async ({ data, log, signal }) => {
        seen = { data, aborted: signal.aborted };
        log.info('inside handler');
        return { runId: 'r', status: 'completed', steps: [] };
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: { x: 1 } });
    const result = await job.waitUntilFinished(events, 30_000);
    expect(result).toEqual({ runId: 'r', status: 'completed', steps: [] });
    expect(seen).toEqual({ data: { userId: 'u', workflowId: 'w', triggerId: 't', context: { x: 1 } }, aborted: false });
    const line = sink.lines.find((l) => l['msg'] === 'inside handler');
    expect(line).toMatchObject({ queue: 'workflow', jobName: 'WORKFLOW_EXECUTION', jobId: job.id, attempt: 1 });
    // The worker's 'completed' event may land just after QueueEvents'.
    await waitFor('completed counter', async () =>
      (await worker!.metrics.registry.getSingleMetricAsString('bullmq_jobs_completed_total')).includes(
        'bullmq_jobs_completed_total{queue="workflow",job_name="WORKFLOW_EXECUTION"} 1',
      ),
    );
  });

  it("writes a healthy job's lines at debug only, with its bindings and durationMs, and builds no signal it was not asked for", async () => {
    const sink = start({ WORKFLOW_EXECUTION: async () => ({ runId: 'r', status: 'completed', steps: [] }) });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} });
    await job.waitUntilFinished(events, 30_000);
    await waitFor('the completed line', () => sink.lines.some((l) => l['msg'] === 'job completed'));
    const perJob = sink.lines.filter((l) => l['jobId'] === job.id);
    expect(perJob.map((l) => [l['msg'], l['level']])).toEqual([
      ['job started', 20],
      ['job completed', 20],
    ]);
    expect(perJob[1]).toMatchObject({ queue: 'workflow', jobName: 'WORKFLOW_EXECUTION', attempt: 1 });
    expect(typeof perJob[1]['durationMs']).toBe('number');
    expect(worker!.worker.jobSignals.size).toBe(0);
  });

  it('reports running jobs in bullmq_active_jobs when scraped: 1 while a job runs, 0 after', async () => {
    let release: () => void = () => undefined;
    let started = false;
    start({
      WORKFLOW_EXECUTION: async () => {
        started = true;
        await new Promise<void>((resolve) => (release = resolve));
        return { runId: 'r', status: 'completed', steps: [] };
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} });
    await waitFor('the handler to start', () => started);
    const gauge = () => worker!.metrics.registry.getSingleMetricAsString('bullmq_active_jobs');
    expect(await gauge()).toContain('bullmq_active_jobs{queue="workflow"} 1');
    release();
    await job.waitUntilFinished(events, 30_000);
    await waitFor('the slot to be free', () => worker!.activeJobCount() === 0);
    expect(await gauge()).toContain('bullmq_active_jobs{queue="workflow"} 0');
  });

  it("passes a handler's own DelayedError through: the job is delayed with no attempt used and counted as suspended, not failed", async () => {
    start({
      WORKFLOW_EXECUTION: async ({ job }) => {
        const token = (job as unknown as { token?: string }).token;
        await job.moveToDelayed(Date.now() + 3_600_000, token);
        throw new DelayedError();
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} });
    await waitFor('the job to be delayed', async () => (await rawQueue.getJobState(job.id!)) === 'delayed');
    const stored = await Job.fromId(rawQueue, job.id!);
    expect(stored?.attemptsMade).toBe(0);
    expect(stored?.failedReason).toBeFalsy();
    await waitFor('the suspended observation', async () =>
      (await worker!.metrics.registry.getSingleMetricAsString('bullmq_job_duration_seconds')).includes('outcome="suspended"} 1'),
    );
    const durations = await worker!.metrics.registry.getSingleMetricAsString('bullmq_job_duration_seconds');
    expect(durations).not.toContain('outcome="failed"} 1');
    expect(await worker!.metrics.registry.getSingleMetricAsString('bullmq_jobs_failed_total')).not.toMatch(/job_name="WORKFLOW_EXECUTION",final="(true|false)"} [1-9]/);
  });

  it('builds no per-job line at info: a healthy job writes nothing', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        cb();
      },
    });
    worker = createQueueWorker({
      queue: 'workflow',
      handlers: { WORKFLOW_EXECUTION: async () => ({ runId: 'r', status: 'completed', steps: [] }) },
      config: config(),
      log: createLogger({ level: 'info', destination: stream }),
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} });
    await job.waitUntilFinished(events, 30_000);
    await waitFor('the completed counter', async () =>
      (await worker!.metrics.registry.getSingleMetricAsString('bullmq_jobs_completed_total')).includes('job_name="WORKFLOW_EXECUTION"} 1'),
    );
    expect(lines.filter((l) => l['jobId'] === job.id)).toEqual([]);
  });

  it('calls onFailedForGood once, when a job has no attempts left (not on a failure that will retry), and close() waits for it', async () => {
    const hookCalls: { jobId: string | undefined; attemptsMade: number; message: string }[] = [];
    let releaseHook: () => void = () => undefined;
    const hookHeld = new Promise<void>((resolve) => (releaseHook = resolve));
    let hookDone = false;
    worker = createQueueWorker({
      queue: 'workflow',
      handlers: {
        WORKFLOW_EXECUTION: async () => {
          throw new Error('provider down');
        },
      },
      config: config(),
      log: logSink().log,
      onFailedForGood: async (job, err) => {
        hookCalls.push({ jobId: job.id, attemptsMade: job.attemptsMade, message: err.message });
        await hookHeld;
        hookDone = true;
      },
    });
    const job = await rawQueue.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await waitFor('the hook to be called', async () => hookCalls.length > 0);
    expect(hookCalls).toEqual([{ jobId: job.id, attemptsMade: 2, message: 'provider down' }]);
    const closing = worker.close(1000);
    releaseHook();
    await closing;
    worker = undefined;
    expect(hookDone).toBe(true);
  });

  it('passes maxStalledCount (WORKER_MAX_STALLED_COUNT, or the app default) to BullMQ', async () => {
    const noop: JobHandlers<'workflow'> = { WORKFLOW_EXECUTION: async () => ({ runId: 'r', status: 'completed', steps: [] }) };
    const kitDefault = createQueueWorker({ queue: 'workflow', handlers: noop, config: config(), log: logSink().log, autorun: false });
    const appConfig = loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 0, healthPort: 0, maxStalledCount: 20 }, { REDIS_URL: url, BULLMQ_PREFIX: prefix });
    const appDefault = createQueueWorker({ queue: 'workflow', handlers: noop, config: appConfig, log: logSink().log, autorun: false });
    expect(kitDefault.worker.opts.maxStalledCount).toBe(1);
    expect(appDefault.worker.opts.maxStalledCount).toBe(20);
    await Promise.all([kitDefault.close(0), appDefault.close(0)]);
  });

  it('has a BullMQ limiter only where the configuration asks for one (WORKER_MAX_JOBS_PER_SECOND=0: none)', () => {
    const noop: JobHandlers<'workflow'> = { WORKFLOW_EXECUTION: async () => ({ runId: 'r', status: 'completed', steps: [] }) };
    const limited = createQueueWorker({ queue: 'workflow', handlers: noop, config: config(), log: logSink().log, autorun: false });
    const unlimitedConfig = loadWorkerConfig({ concurrency: 2, maxJobsPerSecond: 10, healthPort: 0 }, { REDIS_URL: url, BULLMQ_PREFIX: prefix, WORKER_MAX_JOBS_PER_SECOND: '0' });
    const unlimited = createQueueWorker({ queue: 'workflow', handlers: noop, config: unlimitedConfig, log: logSink().log, autorun: false });
    expect(unlimitedConfig.limiter).toBeUndefined();
    expect(limited.worker.opts.limiter).toEqual({ max: 100, duration: 1000 });
    expect(unlimited.worker.opts.limiter).toBeUndefined();
    return Promise.all([limited.close(0), unlimited.close(0)]);
  });

  it('fails data written raw to Redis at once, without retries, naming the field', async () => {
    let calls = 0;
    start({
      WORKFLOW_EXECUTION: async () => {
        calls++;
        return { runId: 'r', status: 'completed', steps: [] };
      },
    });
    // Anyone can write to Redis: bypass the producer's validation.
    const job = await rawQueue.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 7 }, { attempts: 3, backoff: 10 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/workflowId: Invalid input: expected string/);
    const stored = await Job.fromId(rawQueue, job.id!);
    expect(await stored!.getState()).toBe('failed');
    expect(stored!.attemptsMade).toBe(1);
    expect(calls).toBe(0);
  });

  it('fails an unknown job name at once', async () => {
    start({ WORKFLOW_EXECUTION: async () => ({ runId: 'r', status: 'completed', steps: [] }) });
    const job = await rawQueue.add('EMAIL_SYNC', { userId: 'u' }, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/No handler for job name "EMAIL_SYNC" on queue "workflow"/);
    expect((await Job.fromId(rawQueue, job.id!))!.attemptsMade).toBe(1);
  });

  it('retries a throwing job twice with exponential backoff from 2000 ms, then keeps it as failed', async () => {
    const startedAt: number[] = [];
    start({
      WORKFLOW_EXECUTION: async () => {
        startedAt.push(Date.now());
        throw new Error(`outside service said no (${startedAt.length})`);
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} });
    await waitFor('third attempt to fail', async () => (await Job.fromId(rawQueue, job.id!))?.finishedOn, { timeoutMs: 20_000 });
    const stored = (await Job.fromId(rawQueue, job.id!))!;
    expect(await stored.getState()).toBe('failed');
    expect(stored.attemptsMade).toBe(3);
    expect(stored.failedReason).toBe('outside service said no (3)');
    expect(startedAt).toHaveLength(3);
    // BullMQ's exponential backoff: 2000 * 2^(n-1) ms before retry n.
    expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(2000);
    expect(startedAt[2] - startedAt[1]).toBeGreaterThanOrEqual(4000);
    expect((await producer.getQueueStats('workflow')).failed).toBe(1);
  }, 30_000);

  it('fails a PermanentJobError at once and an invalid result as permanent', async () => {
    start({
      WORKFLOW_EXECUTION: async ({ data }) => {
        if (data.workflowId === 'gone') throw new PermanentJobError('workflow gone was deleted');
        return { runId: 'r', status: 'finished-ish', steps: [], stepsCompleted: -1 } as never;
      },
    });
    const gone = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'gone', triggerId: 't', context: {} });
    await expect(gone.waitUntilFinished(events, 30_000)).rejects.toThrow('workflow gone was deleted');
    const bad = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'bad', triggerId: 't', context: {} });
    await expect(bad.waitUntilFinished(events, 30_000)).rejects.toThrow(/invalid WORKFLOW_EXECUTION result: status: .*stepsCompleted/);
    for (const job of [gone, bad]) expect((await Job.fromId(rawQueue, job.id!))!.attemptsMade).toBe(1);
  });

  it('delays a RetryLaterError job without using an attempt', async () => {
    const runs: number[] = [];
    start({
      WORKFLOW_EXECUTION: async ({ job }) => {
        runs.push(job.attemptsMade);
        if (runs.length < 3) throw new RetryLaterError(300, 'provider said Retry-After: 0.3');
        return { runId: 'r', status: 'completed', steps: [] };
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} }, { attempts: 1 });
    await expect(job.waitUntilFinished(events, 30_000)).resolves.toMatchObject({ status: 'completed' });
    // With attempts: 1 a normal failure would have been final; three runs show none were used.
    expect(runs).toEqual([0, 0, 0]);
  });

  it('counts a deferral as a failed attempt once the job is older than RETRY_LATER_MAX_AGE_MS', async () => {
    const sink = logSink();
    const runs: number[] = [];
    const cfg = loadWorkerConfig(
      { concurrency: 1, maxJobsPerSecond: 100, healthPort: 0 },
      { REDIS_URL: url, BULLMQ_PREFIX: prefix, RETRY_LATER_MAX_AGE_MS: '1000' },
    );
    worker = createQueueWorker({
      queue: 'workflow',
      config: cfg,
      log: sink.log,
      handlers: {
        WORKFLOW_EXECUTION: async ({ job }) => {
          runs.push(job.attemptsMade);
          throw new RetryLaterError(400, 'still throttled');
        },
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} }, { attempts: 1 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow('still throttled');
    // Deferred without attempts while younger than 1 s (0.4 s apart), then one real failure.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.every((attemptsMade) => attemptsMade === 0)).toBe(true);
    expect(sink.lines.some((l) => l['msg'] === 'deferred for too long: this deferral uses an attempt')).toBe(true);
  });

  it('a WaitError waits without using an attempt and without the deferral age limit, and promote() wakes it early', async () => {
    const runs: number[] = [];
    const cfg = loadWorkerConfig(
      { concurrency: 1, maxJobsPerSecond: 100, healthPort: 0 },
      { REDIS_URL: url, BULLMQ_PREFIX: prefix, RETRY_LATER_MAX_AGE_MS: '1000' },
    );
    worker = createQueueWorker({
      queue: 'workflow',
      config: cfg,
      log: logSink().log,
      handlers: {
        WORKFLOW_EXECUTION: async ({ job }) => {
          runs.push(job.attemptsMade);
          if (runs.length < 3) throw new WaitError(runs.length === 1 ? 1200 : 60_000, 'call in progress');
          return { runId: `r${runs.length}`, status: 'completed', steps: [] };
        },
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} }, { attempts: 1 });
    // The second wait is a minute long: promote() ends it now.
    await waitFor('the second wait', async () => runs.length === 2 && (await rawQueue.getJobState(job.id as string)) === 'delayed');
    await (await Job.fromId(rawQueue, job.id as string))?.promote();
    await expect(job.waitUntilFinished(events, 30_000)).resolves.toMatchObject({ status: 'completed', runId: 'r3' });
    // Past RETRY_LATER_MAX_AGE_MS (1 s) and with attempts: 1, yet never failed.
    expect(runs).toEqual([0, 0, 0]);
  });

  it('rate-limits the whole queue on WorkerRateLimitError without using an attempt', async () => {
    const startedAt: number[] = [];
    start({
      WORKFLOW_EXECUTION: async () => {
        startedAt.push(Date.now());
        if (startedAt.length === 1) throw new WorkerRateLimitError(700, 'provider answered 429 for our API key');
        return { runId: 'r', status: 'completed', steps: [] };
      },
    });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: {} }, { attempts: 1 });
    await expect(job.waitUntilFinished(events, 30_000)).resolves.toMatchObject({ status: 'completed' });
    expect(startedAt).toHaveLength(2);
    expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(600);
  });
});
