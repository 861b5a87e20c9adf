// End to end through the REAL BUILT command (dist/apps/jobs-cli/main.js, built by the jest
// globalSetup): stats, list and show against the test Redis under a unique prefix.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { runBuiltCli } from '../test-support/run-built-cli';

const url = testRedisUrl();
const prefix = uniquePrefix('cli-read');
const cli = (...args: string[]) => runBuiltCli(['--prefix', prefix, ...args]);
let connection: Redis;
const queues: Queue[] = [];
const queue = (name: string) => {
  const q = new Queue(name, { connection, prefix });
  queues.push(q);
  return q;
};
let producer: JobProducer;

beforeAll(async () => {
  connection = new Redis(url, { maxRetriesPerRequest: null });
  producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });
  const email = queue('email');
  const seo = queue('seo');
  await email.add('EMAIL_SYNC', { n: 1 }, { jobId: 'w-1' });
  await email.add('EMAIL_SYNC', { n: 2 }, { jobId: 'w-2', priority: 5 });
  await email.add('EMAIL_SYNC', { n: 3 }, { jobId: 'd-1', delay: 60_000 });
  // A failed job whose data, logs and failure carry secrets: a real worker fails it.
  const seoWorker = new Worker(
    'seo',
    async (job) => {
      await job.log('fetched page with Authorization: Bearer canary-bearer-token');
      await job.log('second line');
      throw new Error('upstream said 500');
    },
    { connection, prefix, autorun: false },
  );
  const failed = new Promise((resolve) => seoWorker.once('failed', resolve));
  await seo.add(
    'SEO_AUDIT',
    { userId: 'u1', apiKey: 'sk-canary-0123456789', nested: { webhookSecret: 'whsec-canary' }, callback: 'https://bob:canary-pw@example.com/x' },
    { jobId: 'secret-job', attempts: 1 },
  );
  void seoWorker.run();
  await failed;
  await seoWorker.close();
  // The same custom id in two queues: `show` without --queue cannot choose.
  await email.add('EMAIL_SYNC', {}, { jobId: 'twin' });
  await seo.add('SEO_AUDIT', {}, { jobId: 'twin' });
  await seo.pause();
});

afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
  await producer.close();
  await deletePrefix(url, prefix);
  connection.disconnect();
});

describe('jobs stats', () => {
  it('prints every queue as a table with a total row', async () => {
    const run = await cli('stats');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    for (const name of ['email', 'voice', 'enrichment', 'workflow', 'seo', 'ads', 'total']) expect(run.stdout).toMatch(new RegExp(`│ ${name}\\s+│`));
    // email: 3 waiting (w-1, prioritized w-2, twin), 1 delayed
    expect(run.stdout).toMatch(/│ email\s+│ 3\s+│ 0\s+│ 0\s+│ 0\s+│ 1\s+│ no\s+│/);
    expect(run.stdout).toMatch(/│ seo\s+│ \d+\s+│ 0\s+│ 0\s+│ \d+\s+│ 0\s+│ yes\s+│/);
    expect(run.stdout).toMatch(/│ total\s+│.*│ 1 of 6\s+│/);
  });

  it('--json prints exactly getAllQueueStats', async () => {
    const run = await cli('stats', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(await producer.getAllQueueStats());
  });
});

describe('jobs list', () => {
  it('lists waiting jobs (wait list) as a table and reports the total on stderr', async () => {
    const run = await cli('list', 'email', 'waiting');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ w-1\s+│ EMAIL_SYNC\s+│ 0\/1\s+│ .*ago/);
    expect(run.stdout).not.toContain('w-2'); // prioritized, its own state
    expect(run.stderr).toContain('2 waiting job(s) in email; showing 1-2');
  });

  it('--json lists summaries with the failure reason; --limit and --offset page', async () => {
    const failed = JSON.parse((await cli('list', 'seo', 'failed', '--json')).stdout);
    expect(failed).toEqual([expect.objectContaining({ id: 'secret-job', name: 'SEO_AUDIT', attempts: 1, failedReason: 'upstream said 500' })]);
    const page = JSON.parse((await cli('list', 'email', 'waiting', '--json', '--limit', '1', '--offset', '1')).stdout);
    expect(page).toHaveLength(1);
    const prioritized = JSON.parse((await cli('list', 'email', 'prioritized', '--json')).stdout);
    expect(prioritized.map((j: { id: string }) => j.id)).toEqual(['w-2']);
    const delayed = await cli('list', 'email', 'delayed');
    expect(delayed.stdout).toMatch(/│ d-1 .*│ in \d+s\s+│/);
  });

  it('refuses the paused state and unknown queues with exit 2, naming what is valid', async () => {
    const paused = await cli('list', 'email', 'paused');
    expect(paused.code).toBe(2);
    expect(paused.stderr).toContain('no "paused" job state');
    expect(paused.stderr).toContain('waiting, prioritized, waiting-children, active, delayed, failed, completed');
    const unknown = await cli('list', 'mail', 'failed');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown queue "mail": one of email, voice, enrichment, workflow, seo, ads');
    expect(unknown.stdout).toBe('');
  });
});

describe('jobs show', () => {
  it('finds a job in any queue and prints it with secrets masked', async () => {
    const run = await cli('show', 'secret-job');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/queue\s+seo/);
    expect(run.stdout).toMatch(/state\s+failed/);
    expect(run.stdout).toContain('failed reason: upstream said 500');
    expect(run.stdout).toContain('"userId": "u1"');
    expect(run.stdout).toContain('second line');
    for (const secret of ['sk-canary-0123456789', 'whsec-canary', 'canary-pw', 'canary-bearer-token']) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
    expect(run.stdout).toContain('"apiKey": "***"');
    expect(run.stdout).toContain('"webhookSecret": "***"');
  });

  it('--json prints the details with data, logs and stack traces, masked', async () => {
    const run = await cli('show', 'secret-job', '--queue', 'seo', '--json');
    expect(run.code).toBe(0);
    const details = JSON.parse(run.stdout);
    expect(details).toMatchObject({ id: 'secret-job', queue: 'seo', state: 'failed', attemptsMade: 1, attempts: 1, failedReason: 'upstream said 500' });
    expect(details.data).toEqual({ userId: 'u1', apiKey: '***', nested: { webhookSecret: '***' }, callback: 'https://bob:***@example.com/x' });
    expect(details.logs).toEqual(['fetched page with Authorization: Bearer ***', 'second line']);
    expect(details.stacktrace[0]).toContain('upstream said 500');
  });

  it('exit 3 when no queue holds the id, 2 when several do (listing them)', async () => {
    const none = await cli('show', 'no-such-job');
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no job "no-such-job" in any queue');
    const inQueue = await cli('show', 'secret-job', '--queue', 'email');
    expect(inQueue.code).toBe(3);
    const twin = await cli('show', 'twin');
    expect(twin.code).toBe(2);
    expect(twin.stderr).toContain('job "twin" is in several queues (email, seo): pass --queue <queue>');
    expect((await cli('show', 'twin', '--queue', 'seo')).code).toBe(0);
  });
});
