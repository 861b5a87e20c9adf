import { createServer, type AddressInfo } from 'node:net';
import { Job, Queue } from 'bullmq';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import {
  deletePrefix,
  spawnWorkerProcess,
  startThrowawayRedis,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type ThrowawayRedis,
  type WorkerProcess,
} from '@jobs/test-support';

// These tests run a real worker process (test-support/fixture-worker.ts, built on runWorkerApp)
// and talk to it only through Redis, signals and HTTP, as production does.
const FIXTURE = 'libs/worker-kit/src/test-support/fixture-worker.ts';

describe('a worker process', () => {
  const url = testRedisUrl();
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  let prefix: string;
  let producer: JobProducer;
  let queue: Queue;
  const procs: WorkerProcess[] = [];
  const servers: ThrowawayRedis[] = [];

  const startWorker = async (env: Record<string, string> = {}) => {
    const proc = spawnWorkerProcess(FIXTURE, { REDIS_URL: url, BULLMQ_PREFIX: prefix, HEALTH_HOST: '127.0.0.1', ...env });
    procs.push(proc);
    const ready = await proc.waitForLine((l) => l['fixtureReady'] === true);
    return { proc, healthPort: ready['healthPort'] as number };
  };
  const stateOf = async (job: Job) => (await Job.fromId(queue, job.id!))!.getState();

  beforeEach(() => {
    prefix = uniquePrefix('app');
    producer = new JobProducer({ redis, prefix });
    queue = new Queue('workflow', { connection: ioRedisOptions(redis, 'producer'), prefix });
  });

  afterEach(async () => {
    // Wait for each to be gone, so none writes under the prefix after it is deleted.
    for (const p of procs.splice(0)) {
      p.kill();
      await p.exited;
    }
    for (const s of servers.splice(0)) await s.stop();
    await Promise.all([producer.close(), queue.close()]);
    await deletePrefix(url, prefix);
  });

  it('on SIGTERM lets the running job finish, then exits 0', async () => {
    // A grace (80 % of 60 s) far past the 1.5 s job: only a hang, not a slow machine, reaches it.
    const { proc } = await startWorker({ SHUTDOWN_TIMEOUT_MS: '60000' });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: { workMs: 1500 } });
    await waitFor('job to be active', async () => (await stateOf(job)) === 'active');
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    expect(exit.code).toBe(0);
    expect(await stateOf(job)).toBe('completed');
    expect(proc.lines.some((l) => l['msg'] === 'shutdown complete')).toBe(true);
  });

  it('hands a job that outlives the grace back to the queue, exits 0 within the timeout, and leaves nothing active', async () => {
    // The job is aborted at the 300 ms grace; handing it back and closing then have the rest of
    // the 30 s. (A 2 s timeout with its default 80 % grace left 400 ms for that, which a busy
    // machine can overrun: the force exit 1 then failed the test.)
    const { proc } = await startWorker({ SHUTDOWN_GRACE_MS: '300', SHUTDOWN_TIMEOUT_MS: '30000' });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: { workMs: 60_000 } });
    await waitFor('job to be active', async () => (await stateOf(job)) === 'active');
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    // Exit 0 is the proof that shutdown finished within SHUTDOWN_TIMEOUT_MS: past it the
    // process force-exits with 1 (the 60 s job alone would pass it).
    expect(exit.code).toBe(0);
    const stored = (await Job.fromId(queue, job.id!))!;
    expect(['waiting', 'delayed']).toContain(await stored.getState());
    expect(stored.attemptsMade).toBe(0);
    expect((await producer.getQueueStats('workflow')).active).toBe(0);

    // A new worker picks the handed-back job up and finishes it.
    await Job.fromId(queue, job.id!).then((j) => j!.updateData({ ...j!.data, triggerId: 't', context: { workMs: 10 } }));
    await startWorker();
    await waitFor('handed-back job to complete', async () => (await stateOf(job)) === 'completed', { timeoutMs: 45_000 });
  }, 150_000);

  it('gives running jobs SHUTDOWN_GRACE_MS, not 80 % of SHUTDOWN_TIMEOUT_MS, before handing them back', async () => {
    // With the old fixed 80 % the 8 s job would finish within 16 s and complete; a grace of
    // 300 ms aborts it first, so it is handed back unfinished.
    const { proc } = await startWorker({ SHUTDOWN_GRACE_MS: '300', SHUTDOWN_TIMEOUT_MS: '20000' });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: { workMs: 8000 } });
    await waitFor('job to be active', async () => (await stateOf(job)) === 'active');
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    const stored = (await Job.fromId(queue, job.id!))!;
    expect(['waiting', 'delayed']).toContain(await stored.getState());
    expect(stored.attemptsMade).toBe(0);
    expect(proc.lines.some((l) => l['msg'] === 'shutdown grace over: aborting running jobs')).toBe(true);
  });

  it('aborts a job that ignores its signal at the grace, then forces exit 1 at the deadline', async () => {
    const { proc } = await startWorker({ SHUTDOWN_GRACE_MS: '300', SHUTDOWN_TIMEOUT_MS: '3000' });
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't', context: { workMs: 60_000, ignoreAbort: true } });
    await waitFor('job to be active', async () => (await stateOf(job)) === 'active');
    proc.child.kill('SIGTERM');
    // Grace first (its signal aborted), then the force deadline: exit 1, not the 60 s of work.
    const lines = await Promise.all([
      proc.waitForLine((l) => l['msg'] === 'shutdown grace over: aborting running jobs'),
      proc.waitForLine((l) => l['msg'] === 'shutdown timed out: forcing exit'),
    ]);
    expect(proc.lines.indexOf(lines[0])).toBeLessThan(proc.lines.indexOf(lines[1]));
    expect((await proc.exited).code).toBe(1);
  });

  it('exits 1 naming the cause when its health port is taken, after releasing what it acquired', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (taken.address() as AddressInfo).port;
      const proc = spawnWorkerProcess(FIXTURE, { REDIS_URL: url, BULLMQ_PREFIX: prefix, HEALTH_HOST: '127.0.0.1', HEALTH_PORT: String(port), LOG_LEVEL: 'debug' });
      procs.push(proc);
      expect((await proc.exited).code).toBe(1);
      expect(proc.stderr()).toMatch(/^fixture-worker failed to start: Error: listen EADDRINUSE/);
      expect(proc.lines.filter((l) => l['msg'] === 'released').map((l) => l['resource'])).toEqual(['probe connection', 'worker', 'state connection', 'queue handle']);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('forces exit 1 when a job ignores its signal past the timeout, and on a second signal', async () => {
    const { proc } = await startWorker({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const job = await producer.add('WORKFLOW_EXECUTION', {
      userId: 'u',
      workflowId: 'w',
      triggerId: 't', context: { workMs: 30_000, ignoreAbort: true },
    });
    await waitFor('job to be active', async () => (await stateOf(job)) === 'active');
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    // Exit 1 is the forced exit at SHUTDOWN_TIMEOUT_MS (the job alone would run 30 s).
    expect(exit.code).toBe(1);

    const second = (await startWorker({ SHUTDOWN_TIMEOUT_MS: '60000' })).proc;
    const job2 = await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't2', context: { workMs: 30_000, ignoreAbort: true } });
    await waitFor('job to be active', async () => (await stateOf(job2)) === 'active');
    // A Ctrl-C delivered twice at once (terminal and parent) is one request: still graceful.
    second.child.kill('SIGINT');
    second.child.kill('SIGINT');
    await second.waitForLine((l) => l['msg'] === 'shutting down');
    await new Promise((r) => setTimeout(r, 1500));
    expect(second.child.exitCode).toBeNull();
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(1);
  });

  it('serves /healthz, /readyz and /metrics; not ready while Redis is down; does not hang on shutdown without Redis', async () => {
    const own = await startThrowawayRedis({ maxmemoryPolicy: 'allkeys-lru' });
    servers.push(own);
    const { proc, healthPort } = await startWorker({ REDIS_URL: own.url, SHUTDOWN_TIMEOUT_MS: '3000', WORKER_ALLOW_EVICTING_REDIS: 'true' });
    const base = `http://127.0.0.1:${healthPort}`;

    // An evicting Redis can lose jobs: allowed by the opt-out, the worker still says so at start.
    const warning = await proc.waitForLine((l) => l['maxmemoryPolicy'] === 'allkeys-lru');
    expect(warning['level']).toBe(40);

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await waitFor('ready', async () => (await fetch(`${base}/readyz`)).status === 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'bullmq_jobs_completed_total',
      'bullmq_jobs_failed_total',
      'bullmq_job_duration_seconds',
      'bullmq_active_jobs{queue="workflow"} 0',
      // Counters exist at 0 from the start, so rate()/increase() in the alert rules see the first one.
      'bullmq_jobs_stalled_total{queue="workflow"} 0',
      'bullmq_jobs_completed_total{queue="workflow",job_name="WORKFLOW_EXECUTION"} 0',
      'bullmq_jobs_failed_total{queue="workflow",job_name="WORKFLOW_EXECUTION",final="true"} 0',
    ]) {
      expect(metrics).toContain(name);
    }
    // Queue depth comes from one place per deployment (the dashboard), not from every replica.
    expect(metrics).not.toContain('bullmq_queue_jobs');
    expect((await fetch(`${base}/nope`)).status).toBe(404);

    await own.stop();
    const notReady = await waitFor('not ready', async () => {
      const res = await fetch(`${base}/readyz`);
      return res.status === 503 ? ((await res.json()) as { reasons: string[] }) : undefined;
    });
    expect(notReady.reasons.join(' ')).toMatch(/redis/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // Metrics still answer instead of waiting for Redis.
    const down = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
    expect(down.status).toBe(200);
    expect(await down.text()).toContain('bullmq_active_jobs{queue="workflow"} 0');

    const signalled = Date.now();
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    // A ceiling against a hang only: SHUTDOWN_TIMEOUT_MS (3 s) force-exits whatever Redis does.
    expect(exit.at - signalled).toBeLessThan(3000 + 15_000);
  });
});
