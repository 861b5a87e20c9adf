// End to end through the REAL BUILT command (dist/apps/jobs-cli/main.js, built by the jest
// globalSetup) against a throwaway 3-master Redis Cluster: every command reads and changes the
// queues producers and workers use under their hash-tagged prefixes (`<prefix>:{group}`), on
// whichever master serves each group, with the documented exit codes.
import { Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { ALL_QUEUE_NAMES, bullMqConnection, JobProducer, queuePrefix, redisSettingsFromEnv, type QueueName, type RedisSettings } from '@jobs/queue-contracts';
import { startThrowawayRedisCluster, waitFor, type ThrowawayRedisCluster } from '@jobs/test-support';
import { EXIT_CODES } from './lib/exit-codes';
import { runBuiltCli } from './test-support/run-built-cli';

let cluster: ThrowawayRedisCluster;
let redis: RedisSettings;
let admin: Cluster;
let prefix: string;
let producer: JobProducer;

/** The built CLI on the cluster (no REDIS_URL: it is refused beside REDIS_CLUSTER_NODES). */
const cli = (args: readonly string[], input?: string) =>
  runBuiltCli(['--prefix', prefix, ...args], { env: { REDIS_URL: undefined, REDIS_CLUSTER_NODES: cluster.nodes }, input, hangAfterMs: 90_000 });

/**
 * Adds one job per id to `queue` and fails each (attempts 1) through a real BullMQ worker on the
 * cluster, opened as the kit opens one (its own Cluster, the queue's hash-tagged prefix).
 */
async function failJobs(queue: QueueName, ids: readonly string[], reason = 'upstream said 500'): Promise<void> {
  const q = producer.queue(queue);
  const before = await q.getFailedCount();
  for (let i = 0; i < ids.length; i += 500) {
    await q.addBulk(ids.slice(i, i + 500).map((jobId) => ({ name: 'bad', data: { jobId }, opts: { jobId, attempts: 1 } })));
  }
  const connection = bullMqConnection(redis, 'worker');
  const worker = new Worker(
    queue,
    async () => {
      throw new Error(reason);
    },
    { connection: connection.connection, prefix: queuePrefix({ redis, prefix }, queue), concurrency: 100 },
  );
  try {
    await waitFor(`${ids.length} failed on ${queue}`, async () => (await q.getFailedCount()) === before + ids.length, { timeoutMs: 60_000 });
  } finally {
    await worker.close();
    await connection.close();
  }
}

const range = (name: string, count: number) => Array.from({ length: count }, (_, i) => `${name}-${i}`);

describe('jobs-cli on a 3-master Redis Cluster', () => {
  // Inside the describe: its afterAll (cluster.stop) runs before the leak check's.
  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
  }, 60_000);

  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  beforeEach(() => {
    prefix = `cli-cluster-${Math.random().toString(16).slice(2, 10)}`;
    producer = new JobProducer({ redis, prefix, telemetry: 'off' });
  });

  afterEach(async () => {
    await producer.close();
    // SCAN answers for one node: every master is scanned.
    for (const node of admin.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 100_000);
      if (keys.length > 0) await Promise.all(keys.map((key) => node.unlink(key)));
    }
  });

  it('stats --json is getAllQueueStats over every queue group; the table shows the same', async () => {
    const email = producer.queue('email');
    await email.add('EMAIL_SYNC', {}, { jobId: 'w-1' });
    await email.add('EMAIL_SYNC', {}, { jobId: 'w-2', priority: 5 });
    await email.add('EMAIL_SYNC', {}, { jobId: 'w-3' });
    await email.add('EMAIL_SYNC', {}, { jobId: 'd-1', delay: 600_000 });
    await failJobs('seo', ['f-1', 'f-2']);
    await producer.queue('ads').addBulk(range('later', 2).map((jobId) => ({ name: 'AD_ANALYSIS', data: {}, opts: { jobId, delay: 600_000 } })));
    await producer.queue('voice').pause();

    const json = await cli(['stats', '--json']);
    expect(json).toMatchObject({ code: EXIT_CODES.ok, stderr: '' });
    const stats = await producer.getAllQueueStats();
    expect(JSON.parse(json.stdout)).toEqual(stats);
    // Not two empty readings: each group's queue holds what was added.
    expect([stats.email.waiting, stats.email.delayed, stats.seo.failed, stats.ads.delayed, stats.voice.paused]).toEqual([3, 1, 2, 2, true]);

    const table = await cli(['stats']);
    expect(table.code).toBe(EXIT_CODES.ok);
    expect(table.stdout).toMatch(/│ email\s+│ 3\s+│ 0\s+│ 0\s+│ 0\s+│ 1\s+│ no\s+│/);
    expect(table.stdout).toMatch(/│ seo\s+│ 0\s+│ 0\s+│ 0\s+│ 2\s+│ 0\s+│ no\s+│/);
    expect(table.stdout).toMatch(/│ total\s+│.*│ 1 of 6\s+│/);
  }, 120_000);

  it('list, show (searching every queue, on every master), promote and remove', async () => {
    const email = producer.queue('email');
    await email.add('EMAIL_SYNC', { n: 1 }, { jobId: 'w-1' });
    await email.add('EMAIL_SYNC', { n: 2 }, { jobId: 'w-2', priority: 5 });
    await email.add('EMAIL_SYNC', { n: 3 }, { jobId: 'd-1', delay: 600_000 });
    await failJobs('seo', ['secret-job']);
    // The same id in two groups: show cannot choose.
    await email.add('EMAIL_SYNC', {}, { jobId: 'twin' });
    await producer.queue('ads').add('AD_ANALYSIS', {}, { jobId: 'twin' });

    const waiting = await cli(['list', 'email', 'waiting', '--json']);
    expect(waiting.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(waiting.stdout).map((j: { id: string }) => j.id).sort()).toEqual(['twin', 'w-1']);
    const failed = await cli(['list', 'seo', 'failed', '--json']);
    expect(JSON.parse(failed.stdout)).toEqual([expect.objectContaining({ id: 'secret-job', name: 'bad', attempts: 1, failedReason: 'upstream said 500' })]);
    const table = await cli(['list', 'email', 'delayed']);
    expect(table).toMatchObject({ code: EXIT_CODES.ok });
    expect(table.stdout).toMatch(/│ d-1 .*│ in \d+m?\s*\d*s?\s+│/);

    const shown = await cli(['show', 'secret-job', '--json']);
    expect(shown.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: 'secret-job', queue: 'seo', state: 'failed', failedReason: 'upstream said 500' });
    expect((await cli(['show', 'no-such-job'])).code).toBe(EXIT_CODES.notFound);
    const twin = await cli(['show', 'twin']);
    expect(twin.code).toBe(EXIT_CODES.usage);
    expect(twin.stderr).toContain('job "twin" is in several queues (email, ads): pass --queue <queue>');
    expect((await cli(['show', 'twin', '--queue', 'ads'])).code).toBe(EXIT_CODES.ok);

    expect(await cli(['promote', 'email', 'd-1'])).toMatchObject({ code: EXIT_CODES.ok, stdout: 'promoted email/d-1\n' });
    expect(await email.getJobState('d-1')).toBe('waiting');
    expect(await cli(['remove', 'email', 'w-1'])).toMatchObject({ code: EXIT_CODES.ok, stdout: 'removed email/w-1\n' });
    expect(await email.getJob('w-1')).toBeUndefined();
    expect((await cli(['remove', 'email', 'w-1'])).code).toBe(EXIT_CODES.notFound);
  }, 120_000);

  it('retry moves a failed job; redrive --all moves some hundreds of failed jobs on two masters, then finds none', async () => {
    await failJobs('email', range('e', 300));
    await failJobs('seo', range('s', 200));
    await failJobs('ads', ['one'], 'quota');

    const retried = await cli(['retry', 'ads', 'one', '--json']);
    expect(retried.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(retried.stdout).totals).toEqual({ selected: 1, moved: 1, skipped: 0, errors: 0 });
    expect(await producer.queue('ads').getJobState('one')).toBe('waiting');
    expect((await cli(['retry', 'ads', 'ghost'])).code).toBe(EXIT_CODES.notFound);

    const dry = await cli(['redrive', '--all', '--dry-run', '--json']);
    expect(dry.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(dry.stdout).totals).toEqual({ selected: 500, moved: 0, skipped: 0, errors: 0 });
    expect((await producer.getQueueStats('email')).failed).toBe(300);

    const started = Date.now();
    const run = await cli(['redrive', '--all', '--batch-size', '100', '--json']);
    // Measured, not asserted (process start included).
    process.stderr.write(`redrive of 500 jobs on a 3-master cluster through the built CLI: ${Date.now() - started} ms\n`);
    expect(run.code).toBe(EXIT_CODES.ok);
    const report = JSON.parse(run.stdout);
    expect(report.totals).toEqual({ selected: 500, moved: 500, skipped: 0, errors: 0 });
    expect(report.redisUnavailable).toBeNull();
    expect(run.stderr).toMatch(/^redrive: 500\/500 \(100%\) seo$/m);
    const stats = await producer.getAllQueueStats();
    expect([stats.email.failed, stats.email.waiting, stats.seo.failed, stats.seo.waiting]).toEqual([0, 300, 0, 200]);
    const job = await producer.queue('email').getJob('e-7');
    expect(job?.attemptsMade).toBe(0);

    const again = await cli(['redrive', 'email', 'seo']);
    expect(again.code).toBe(EXIT_CODES.notFound);
  }, 180_000);

  it('pause and resume one queue or --all', async () => {
    const paused = await cli(['pause', '--all']);
    expect(paused).toMatchObject({ code: EXIT_CODES.ok, stdout: ALL_QUEUE_NAMES.map((q) => `paused ${q}\n`).join('') });
    expect(Object.values(await producer.getAllQueueStats()).every((s) => s.paused)).toBe(true);
    expect(await cli(['resume', 'email'])).toMatchObject({ code: EXIT_CODES.ok, stdout: 'resumed email\n' });
    const some = await producer.getAllQueueStats();
    expect(ALL_QUEUE_NAMES.filter((q) => some[q].paused)).toEqual(ALL_QUEUE_NAMES.filter((q) => q !== 'email'));
    expect((await cli(['resume', '--all'])).code).toBe(EXIT_CODES.ok);
    expect(Object.values(await producer.getAllQueueStats()).some((s) => s.paused)).toBe(false);
    expect((await cli(['pause'])).code).toBe(EXIT_CODES.usage);
  }, 120_000);

  it('enqueue adds valid data under the queue group\'s tag; refused data is exit 2 and adds nothing', async () => {
    const email = await cli(['enqueue', 'EMAIL_SYNC', '--data', '-', '--json'], JSON.stringify({ userId: 'u_1', accountId: 'a_1', emailProvider: 'gmail' }));
    expect(email.code).toBe(EXIT_CODES.ok);
    const added = JSON.parse(email.stdout);
    expect(added).toMatchObject({ name: 'EMAIL_SYNC', queue: 'email', alreadyExisted: false });
    expect(await admin.exists(`${prefix}:{workflow}:email:${added.id}`)).toBe(1);
    expect((await producer.queue('email').getJob(added.id))?.data).toMatchObject({ userId: 'u_1', accountId: 'a_1' });

    const seo = await cli(['enqueue', 'SEO_AUDIT', '--data', '-', '--job-id', 'audit-1'], JSON.stringify({ userId: 'u_1', websiteUrl: 'https://example.com', depth: 1 }));
    expect(seo).toMatchObject({ code: EXIT_CODES.ok, stdout: 'enqueued SEO_AUDIT job audit-1 in queue seo\n' });
    expect(await admin.exists(`${prefix}:{seo-audit}:seo:audit-1`)).toBe(1);

    const bad = await cli(['enqueue', 'EMAIL_SYNC', '--data', '-'], JSON.stringify({ userId: 'u_1', emailProvider: 'carrier-pigeon' }));
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toMatch(/nothing enqueued/);
    expect(bad.stderr).toMatch(/emailProvider|accountId/);
    expect(await producer.queue('email').count()).toBe(1);
  }, 120_000);

  it('clean removes old failed jobs (asks first without --yes); drain removes waiting, then delayed jobs', async () => {
    await failJobs('seo', range('old', 5));
    const dry = await cli(['clean', 'seo', 'failed', '--older-than', '0s', '--dry-run', '--json']);
    expect(dry.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, count: 5 });
    const unconfirmed = await cli(['clean', 'seo', 'failed', '--older-than', '0s']);
    expect(unconfirmed.code).toBe(EXIT_CODES.aborted);
    expect(await producer.queue('seo').getFailedCount()).toBe(5);
    const cleaned = await cli(['clean', 'seo', 'failed', '--older-than', '0s', '--yes', '--json']);
    expect(cleaned.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(cleaned.stdout)).toMatchObject({ dryRun: false, count: 5, locked: [], moved: [] });
    expect(await producer.queue('seo').getFailedCount()).toBe(0);

    const email = producer.queue('email');
    await email.addBulk(range('w', 10).map((jobId) => ({ name: 'EMAIL_SYNC', data: {}, opts: { jobId } })));
    await email.add('EMAIL_SYNC', {}, { jobId: 'p-1', priority: 3 });
    await email.addBulk(range('d', 2).map((jobId) => ({ name: 'EMAIL_SYNC', data: {}, opts: { jobId, delay: 600_000 } })));
    const refused = await cli(['drain', 'email']);
    expect(refused.code).toBe(EXIT_CODES.aborted);
    expect(refused.stderr).toContain('drain email: not confirmed (no terminal to ask: pass --yes); nothing removed');
    const drained = await cli(['drain', 'email', '--yes', '--json']);
    expect(drained.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(drained.stdout)).toEqual({ queue: 'email', removed: { waiting: 11, delayed: 0 }, remaining: { waiting: 0, delayed: 0 } });
    expect(await email.getDelayedCount()).toBe(2);
    expect(await cli(['drain', 'email', '--delayed', '--yes'])).toMatchObject({ code: EXIT_CODES.ok, stdout: 'drained email: removed 0 waiting and 2 delayed job(s)\n' });
    expect(await email.getJobCounts('wait', 'prioritized', 'delayed')).toEqual({ wait: 0, prioritized: 0, delayed: 0 });
    expect(await cli(['drain', 'email', '--yes'])).toMatchObject({ code: EXIT_CODES.ok, stdout: 'drained email: nothing to remove\n' });
  }, 120_000);

  it('exit 4 naming the cluster when no seed answers; exit 2 for --redis-url beside REDIS_CLUSTER_NODES', async () => {
    const down = await runBuiltCli(['stats'], { env: { REDIS_URL: undefined, REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2' } });
    expect(down.code).toBe(EXIT_CODES.redisUnavailable);
    expect(down.stderr).toMatch(/^jobs-cli: Redis at redis-cluster:\/\/127\.0\.0\.1:1,127\.0\.0\.1:2 is unavailable: Failed to refresh slots cache\./m);
    expect(down.stderr).not.toContain('unexpected error');
    const both = await runBuiltCli(['--redis-url', 'redis://127.0.0.1:6379', 'stats'], { env: { REDIS_URL: undefined, REDIS_CLUSTER_NODES: cluster.nodes } });
    expect(both.code).toBe(EXIT_CODES.usage);
    expect(both.stderr).toMatch(/REDIS_CLUSTER_NODES/);
  }, 120_000);
});
