// End to end through the REAL BUILT command: promote, remove, clean, pause/resume and drain
// change Redis as they say, refuse what they must, and exit with the documented codes.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { runBuiltCli } from '../test-support/run-built-cli';

const url = testRedisUrl();
let prefix: string;
let connection: Redis;
let queues: Queue[] = [];
const cli = (...args: string[]) => runBuiltCli(['--prefix', prefix, ...args]);
const queue = (name: string) => {
  const q = new Queue(name, { connection, prefix });
  queues.push(q);
  return q;
};

beforeAll(() => {
  connection = new Redis(url, { maxRetriesPerRequest: null });
});
beforeEach(() => {
  prefix = uniquePrefix('cli-change');
});
afterEach(async () => {
  await Promise.all(queues.map((q) => q.close()));
  queues = [];
  await deletePrefix(url, prefix);
});
afterAll(() => connection.disconnect());

describe('jobs promote', () => {
  it('moves named delayed jobs to waiting; a job that is not delayed is exit 6, a missing one exit 3', async () => {
    const email = queue('email');
    await email.add('EMAIL_SYNC', {}, { jobId: 'later-1', delay: 600_000 });
    await email.add('EMAIL_SYNC', {}, { jobId: 'later-2', delay: 600_000 });
    await email.add('EMAIL_SYNC', {}, { jobId: 'now-1' });
    const ok = await cli('promote', 'email', 'later-1');
    expect(ok).toMatchObject({ code: 0, stdout: 'promoted email/later-1\n' });
    expect(await email.getJobState('later-1')).toBe('waiting');
    expect(await email.getJobState('later-2')).toBe('delayed');

    const conflict = await cli('promote', 'email', 'now-1');
    expect(conflict.code).toBe(6);
    expect(conflict.stderr).toContain('now-1: is waiting, not delayed: not promoted');
    expect((await cli('promote', 'email', 'ghost')).code).toBe(3);
    expect((await cli('promote', 'email')).code).toBe(2);
  });

  it('--all asks first (no terminal, no --yes: exit 5); promotes each delayed job keeping its priority; leaves job-scheduler jobs delayed', async () => {
    const seo = queue('seo');
    await seo.addBulk([1, 2].map((n) => ({ name: 'SEO_AUDIT', data: { n }, opts: { jobId: `plain-${n}`, delay: 600_000 } })));
    await seo.add('SEO_AUDIT', { n: 3 }, { jobId: 'urgent', delay: 600_000, priority: 2 });
    await seo.upsertJobScheduler('nightly', { every: 86_400_000, startDate: Date.now() + 3_600_000 }, { name: 'SEO_AUDIT', data: {} });
    const scheduled = (await seo.getDelayed()).filter((job) => job.id?.startsWith('repeat:'));
    expect(scheduled).toHaveLength(1);

    const refused = await cli('promote', 'seo', '--all');
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('not confirmed (no terminal to ask: pass --yes); nothing promoted');
    expect(await seo.getDelayedCount()).toBe(4);

    const run = await cli('promote', 'seo', '--all', '--yes');
    expect(run).toMatchObject({ code: 0, stdout: 'promoted 3 delayed job(s) of seo; left 1 job-scheduler job(s) (repeat:…) at their scheduled time\n' });
    expect(await seo.getJobState('urgent')).toBe('prioritized');
    expect((await seo.getJob('urgent'))?.priority).toBe(2);
    expect(await seo.getJobState('plain-1')).toBe('waiting');
    expect(await seo.getJobState(scheduled[0].id ?? '')).toBe('delayed');
    expect(await seo.getJobCounts('delayed', 'wait', 'prioritized')).toEqual({ delayed: 1, wait: 2, prioritized: 1 });
  });
});

describe('jobs remove', () => {
  it('removes jobs; an active (locked) job is exit 6 and stays; a missing one exit 3', async () => {
    const email = queue('email');
    await email.add('EMAIL_SYNC', {}, { jobId: 'gone' });
    const removed = await cli('remove', 'email', 'gone');
    expect(removed).toMatchObject({ code: 0, stdout: 'removed email/gone\n' });
    expect(await email.getJob('gone')).toBeUndefined();
    expect((await cli('remove', 'email', 'gone')).code).toBe(3);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const worker = new Worker('email', () => held, { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix });
    const active = new Promise((resolve) => worker.once('active', resolve));
    await email.add('EMAIL_SYNC', {}, { jobId: 'running' });
    await active;
    try {
      const run = await cli('remove', 'email', 'running');
      expect(run.code).toBe(6);
      expect(run.stderr).toContain('running: is active (locked by a worker): not removed');
      expect(await email.getJobState('running')).toBe('active');
    } finally {
      release();
      await worker.close();
      await worker.disconnect();
    }
  });
});

describe('jobs clean', () => {
  it('--dry-run lists what would go and removes nothing; --yes removes exactly those', async () => {
    const email = queue('email');
    await email.add('EMAIL_SYNC', {}, { jobId: 'old-1' });
    await email.add('EMAIL_SYNC', {}, { jobId: 'old-2' });
    const dry = await cli('clean', 'email', 'waiting', '--older-than', '0s', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ queue: 'email', state: 'waiting', dryRun: true, count: 2 });
    expect(JSON.parse(dry.stdout).ids.sort()).toEqual(['old-1', 'old-2']);
    expect(await email.getWaitingCount()).toBe(2);

    // Nothing is older than an hour: nothing to remove, nothing asked.
    const young = await cli('clean', 'email', 'waiting', '--older-than', '1h');
    expect(young).toMatchObject({ code: 0 });
    expect(young.stdout).toContain('removed 0 waiting job(s)');
    expect(await email.getWaitingCount()).toBe(2);

    const done = await cli('clean', 'email', 'waiting', '--older-than', '0s', '--yes');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^removed 2 waiting job\(s\) of email older than 0s/);
    expect(await email.getWaitingCount()).toBe(0);
  });

  it('failed jobs go by when they finished: a young failure stays, --limit caps the count', async () => {
    const ads = queue('ads');
    const worker = new Worker(
      'ads',
      async () => {
        throw new Error('boom');
      },
      { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix },
    );
    let failures = 0;
    const allFailed = new Promise<void>((resolve) => worker.on('failed', () => ++failures === 3 && resolve()));
    await ads.addBulk([1, 2, 3].map((n) => ({ name: 'AD_ANALYSIS', data: { n } })));
    await allFailed;
    await worker.close();
    await worker.disconnect();
    expect(JSON.parse((await cli('clean', 'ads', 'failed', '--older-than', '1h', '--dry-run', '--json')).stdout)).toMatchObject({ count: 0, ids: [] });
    const dry = JSON.parse((await cli('clean', 'ads', 'failed', '--older-than', '0s', '--dry-run', '--json')).stdout);
    expect(dry).toMatchObject({ count: 3, dryRun: true });
    const capped = await cli('clean', 'ads', 'failed', '--older-than', '0s', '--limit', '2', '--yes', '--json');
    expect(JSON.parse(capped.stdout)).toMatchObject({ count: 2, dryRun: false });
    expect(await ads.getFailedCount()).toBe(1);
  });

  it('prioritized: the dry run lists the old jobs behind younger ones of a better priority, and the clean removes those same jobs', async () => {
    const seo = queue('seo');
    const twoHoursAgo = Date.now() - 2 * 3_600_000;
    await seo.addBulk([1, 2, 3].map((n) => ({ name: 'SEO_AUDIT', data: { n }, opts: { jobId: `new-${n}`, priority: 1 } })));
    // Old jobs at a worse priority sort after the new ones: BullMQ's clean window (its first
    // `limit` entries by priority) holds only the new ones.
    await seo.addBulk([4, 5, 6].map((n) => ({ name: 'SEO_AUDIT', data: { n }, opts: { jobId: `old-${n}`, priority: 5, timestamp: twoHoursAgo } })));
    const dry = JSON.parse((await cli('clean', 'seo', 'prioritized', '--older-than', '1h', '--limit', '3', '--dry-run', '--json')).stdout);
    expect(dry.ids.sort()).toEqual(['old-4', 'old-5', 'old-6']);
    const run = await cli('clean', 'seo', 'prioritized', '--older-than', '1h', '--limit', '3', '--yes', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ count: 3, locked: [], moved: [] });
    expect(JSON.parse(run.stdout).ids.sort()).toEqual(dry.ids.sort());
    const left = (await seo.getJobs(['prioritized'])).map((job) => job.id).sort();
    expect(left).toEqual(['new-1', 'new-2', 'new-3']);
  });

  it('without a terminal and without --yes it is exit 5 and removes nothing; bad state or age is exit 2', async () => {
    const email = queue('email');
    await email.add('EMAIL_SYNC', {}, { jobId: 'stay' });
    const run = await cli('clean', 'email', 'waiting', '--older-than', '0s');
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('not confirmed (no terminal to ask: pass --yes); nothing removed');
    expect(await email.getWaitingCount()).toBe(1);
    expect((await cli('clean', 'email', 'paused', '--older-than', '1d')).code).toBe(2);
    expect((await cli('clean', 'email', 'active', '--older-than', '1d')).code).toBe(2);
    const age = await cli('clean', 'email', 'failed', '--older-than', 'yesterday');
    expect(age.code).toBe(2);
    expect(age.stderr).toContain('--older-than: "yesterday" is neither an age');
  });
});

describe('jobs pause / resume', () => {
  it('pauses and resumes one queue or all', async () => {
    const email = queue('email');
    const ads = queue('ads');
    expect(await cli('pause', 'email')).toMatchObject({ code: 0, stdout: 'paused email\n' });
    expect(await email.isPaused()).toBe(true);
    expect(await ads.isPaused()).toBe(false);
    const all = await cli('pause', '--all');
    expect(all.stdout.trim().split('\n')).toHaveLength(6);
    expect(await ads.isPaused()).toBe(true);
    expect(await cli('resume', 'email')).toMatchObject({ code: 0, stdout: 'resumed email\n' });
    expect(await email.isPaused()).toBe(false);
    expect(await ads.isPaused()).toBe(true);
    await cli('resume', '--all');
    expect(await ads.isPaused()).toBe(false);
    expect((await cli('pause')).code).toBe(2);
    expect((await cli('pause', 'email', '--all')).code).toBe(2);
  });
});

describe('jobs drain', () => {
  it('without a terminal and without --yes: exit 5, nothing removed; with --yes: waiting removed, delayed kept unless --delayed', async () => {
    const seo = queue('seo');
    await seo.addBulk([1, 2, 3].map((n) => ({ name: 'SEO_AUDIT', data: { n } })));
    await seo.add('SEO_AUDIT', {}, { priority: 3 });
    await seo.add('SEO_AUDIT', {}, { delay: 600_000 });
    const refused = await cli('drain', 'seo');
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('drain seo: not confirmed');
    expect(await seo.getJobCounts('wait', 'prioritized', 'delayed')).toEqual({ wait: 3, prioritized: 1, delayed: 1 });

    const drained = await cli('drain', 'seo', '--yes');
    expect(drained).toMatchObject({ code: 0, stdout: 'drained seo: removed 4 waiting job(s)\n' });
    expect(await seo.getJobCounts('wait', 'prioritized', 'delayed')).toEqual({ wait: 0, prioritized: 0, delayed: 1 });

    const withDelayed = await cli('drain', 'seo', '--delayed', '--yes', '--json');
    expect(JSON.parse(withDelayed.stdout)).toEqual({ queue: 'seo', removed: { waiting: 0, delayed: 1 }, remaining: { waiting: 0, delayed: 0 } });
    expect(await seo.getDelayedCount()).toBe(0);
    // Nothing left: nothing to ask, exit 0 even without a terminal.
    expect(await cli('drain', 'seo')).toMatchObject({ code: 0, stdout: 'drained seo: nothing to remove\n' });
  });
});
