import { Queue } from 'bullmq';
import { ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
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

// A real worker process (test-support/fixture-worker.ts, built on runWorkerApp), seen only
// through Redis, HTTP and signals: the eviction-policy gate and the per-job maximum run time.
const FIXTURE = 'libs/worker-kit/src/test-support/fixture-worker.ts';

describe('a worker process guards', () => {
  let prefix: string;
  const procs: WorkerProcess[] = [];
  const servers: ThrowawayRedis[] = [];
  const queues: Queue[] = [];

  const start = async (redisUrl: string, env: Record<string, string> = {}) => {
    const proc = spawnWorkerProcess(FIXTURE, { REDIS_URL: redisUrl, BULLMQ_PREFIX: prefix, HEALTH_HOST: '127.0.0.1', ...env });
    procs.push(proc);
    const ready = await proc.waitForLine((l) => l['fixtureReady'] === true);
    const queue = new Queue('workflow', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: redisUrl }), 'producer'), prefix });
    queues.push(queue);
    return { proc, queue, base: `http://127.0.0.1:${ready['healthPort'] as number}` };
  };
  const readyz = async (base: string) => {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as { ready: boolean; reasons: string[] } };
  };
  const data = (context: Record<string, unknown>) => ({ userId: 'u', workflowId: 'w', triggerId: 't', context });

  beforeEach(() => {
    prefix = uniquePrefix('guards');
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      p.kill();
      await p.exited;
    }
    for (const q of queues.splice(0)) await q.close();
    for (const s of servers.splice(0)) await s.stop();
    await deletePrefix(testRedisUrl(), prefix);
  });

  it('on a Redis with maxmemory-policy allkeys-lru: not ready, naming the policy, and takes no job', async () => {
    const own = await startThrowawayRedis({ maxmemoryPolicy: 'allkeys-lru' });
    servers.push(own);
    const { proc, queue, base } = await start(own.url);
    const job = await queue.add('WORKFLOW_EXECUTION', data({ workMs: 10 }));
    const refusal = await proc.waitForLine((l) => l['maxmemoryPolicy'] === 'allkeys-lru');
    expect(refusal['level']).toBe(50);
    const r = await waitFor('a readiness answer naming the policy', async () => {
      const answer = await readyz(base);
      return answer.body.reasons.some((reason) => reason.includes('allkeys-lru')) ? answer : undefined;
    });
    expect(r.status).toBe(503);
    expect(r.body.reasons.join(' ')).toMatch(/maxmemory-policy is "allkeys-lru", not "noeviction"/);
    // Asked again at every probe; still not taking jobs after several.
    for (let i = 0; i < 5; i++) expect((await readyz(base)).status).toBe(503);
    expect(await queue.getJobState(job.id!)).toBe('waiting');
    expect(proc.lines.some((l) => l['msg'] === 'working' || l['msg'] === 'job started')).toBe(false);

    // An operator fixes the policy: the worker takes the job without a restart.
    const { Redis } = await import('ioredis');
    const admin = new Redis(own.url);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    admin.disconnect();
    await waitFor('ready once the policy is noeviction', async () => (await readyz(base)).status === 200, { timeoutMs: 20_000 });
    await waitFor('the job to complete', async () => (await queue.getJobState(job.id!)) === 'completed', { timeoutMs: 20_000 });
  }, 60_000);

  it('with WORKER_ALLOW_EVICTING_REDIS=true takes jobs on an evicting Redis, warning once', async () => {
    const own = await startThrowawayRedis({ maxmemoryPolicy: 'volatile-lru' });
    servers.push(own);
    const { proc, queue, base } = await start(own.url, { WORKER_ALLOW_EVICTING_REDIS: 'true' });
    const job = await queue.add('WORKFLOW_EXECUTION', data({ workMs: 10 }));
    await waitFor('the job to complete', async () => (await queue.getJobState(job.id!)) === 'completed', { timeoutMs: 20_000 });
    expect((await readyz(base)).status).toBe(200);
    expect(proc.lines.filter((l) => l['maxmemoryPolicy'] === 'volatile-lru').map((l) => l['level'])).toEqual([40]);
  }, 60_000);

  it('on a Redis that refuses CONFIG (renamed away, as managed Redis does): says so once and takes jobs', async () => {
    const own = await startThrowawayRedis({ args: ['--rename-command', 'CONFIG', ''] });
    servers.push(own);
    const { proc, queue, base } = await start(own.url);
    const job = await queue.add('WORKFLOW_EXECUTION', data({ workMs: 10 }));
    await waitFor('the job to complete', async () => (await queue.getJobState(job.id!)) === 'completed', { timeoutMs: 20_000 });
    expect((await readyz(base)).status).toBe(200);
    const said = proc.lines.filter((l) => String(l['msg']).startsWith('Redis refused CONFIG GET maxmemory-policy'));
    expect(said).toHaveLength(1);
    expect(said[0]['level']).toBe(30);
  }, 60_000);

  it('fails a job whose handler never settles as timed out, runs the next one with its only slot, then exits 0 on SIGTERM', async () => {
    const { proc, queue } = await start(testRedisUrl(), { WORKER_CONCURRENCY: '1', WORKER_JOB_TIMEOUT_MS: '500', SHUTDOWN_TIMEOUT_MS: '5000' });
    const stuck = await queue.add('WORKFLOW_EXECUTION', data({ neverSettle: true }), { attempts: 1 });
    const next = await queue.add('WORKFLOW_EXECUTION', data({ workMs: 10 }));
    await waitFor('the next job to complete', async () => (await queue.getJobState(next.id!)) === 'completed', { timeoutMs: 20_000 });
    expect(await queue.getJobState(stuck.id!)).toBe('failed');
    expect((await queue.getJob(stuck.id!))?.failedReason).toBe('job timed out: its handler ran longer than 500 ms');
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    expect(exit.code).toBe(0);
    expect(proc.lines.some((l) => l['msg'] === 'shutdown complete')).toBe(true);
  }, 60_000);
});
