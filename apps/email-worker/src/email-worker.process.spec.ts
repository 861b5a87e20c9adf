import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobProducer, ioRedisOptions, redisSettingsFromEnv, type MailboxEvent } from '@jobs/queue-contracts';
import { deletePrefix, loadFixtureEmails, spawnWorkerProcess, testRedisUrl, uniquePrefix, waitFor, type WorkerProcess } from '@jobs/test-support';
import type { EmailProvider } from '@jobs/queue-contracts';
import { emailWorkerEnv, startEmailFakes, type EmailFakes } from './test-support/email-harness';
import { addFakeMailbox } from './test-support/mailbox-fakes';

const fixtures = loadFixtureEmails();
const url = testRedisUrl();

describe.each<EmailProvider>(['gmail', 'outlook'])('email-worker process, %s: SIGKILL in the middle of a sync', (provider) => {
  let fakes: EmailFakes;
  let prefix: string;
  let redis: Redis;
  let queue: Queue;
  let producer: JobProducer;
  const workers: WorkerProcess[] = [];

  beforeEach(async () => {
    fakes = await startEmailFakes();
    prefix = uniquePrefix('email-kill');
    redis = new Redis(url);
    queue = new Queue('email', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'producer'), prefix });
    producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.kill();
      await w.exited;
    }
    await Promise.all([queue.close(), producer.close()]);
    await redis.quit();
    await fakes.close();
    await deletePrefix(url, prefix);
  });

  it('the restarted worker resumes from the last handed-over page: every message once, cursor consistent', async () => {
    const mailbox = addFakeMailbox(fakes, provider, `kill-${provider}`);
    // 108 messages (every fixture twice) in pages of 10, served slowly enough to kill mid-way.
    const ids = [...fixtures, ...fixtures].map((f) => mailbox.add(f.raw));
    const slow = provider === 'gmail' ? fakes.gmail : fakes.graph;
    slow.setLatencyMs(15);
    const env = emailWorkerEnv(fakes, prefix, {
      LOG_LEVEL: 'info',
      WORKER_LOCK_DURATION_MS: '2000',
      EMAIL_SYNC_FETCH_CONCURRENCY: '2',
    });
    const start = () => {
      const w = spawnWorkerProcess('apps/email-worker/src/main.ts', env);
      workers.push(w);
      return w;
    };

    const first = start();
    await first.waitForLine((l) => l['msg'] === 'worker started', 30_000);
    const job = await producer.add('EMAIL_SYNC', { userId: 'u1', accountId: mailbox.accountId, emailProvider: provider, syncSince: '2000-01-01' });
    // Kill once at least three pages were handed over, well before the 11th.
    const pagesDone = async () => ((await queue.getJob(job.id as string))?.progress as { pages?: number } | undefined)?.pages ?? 0;
    await waitFor('three pages handed over', async () => (await pagesDone()) >= 3, {
      timeoutMs: 30_000,
      intervalMs: 10,
    });
    first.kill();
    await first.exited;
    const streamKey = `${prefix}:messages:${provider}`;
    const beforeRestart = await redis.xlen(streamKey);
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart).toBeLessThan(ids.length);

    slow.setLatencyMs(0);
    start();
    // The job is still "active" under a dead worker's lock: BullMQ's stalled check (every
    // WORKER_LOCK_DURATION_MS) hands it to the new worker.
    await waitFor('the stalled sync to complete', async () => (await queue.getJob(job.id as string))?.finishedOn, { timeoutMs: 30_000 });
    const done = await queue.getJob(job.id as string);
    expect(done?.failedReason).toBeUndefined();
    const result = done?.returnvalue as { new: number; pages: number; cursor: string; repeatsSkipped: number };

    const events = (await redis.xrange(streamKey, '-', '+')).map(([, f]) => JSON.parse(f[3] ?? 'null') as MailboxEvent);
    const delivered = events.flatMap((e) => (e.type === 'message' ? [e.message.id] : []));
    expect(delivered).toHaveLength(ids.length); // nothing twice
    expect(new Set(delivered)).toEqual(new Set(ids)); // nothing missing
    // The restarted run started from the checkpoint, not from the first page.
    expect(result.new).toBe(ids.length - beforeRestart);
    expect(result.pages).toBeLessThan(11);
    const state = await redis.hgetall(`${prefix}:email-worker:state:${provider}:${mailbox.accountId}`);
    expect(state['cursor']).toBe(result.cursor);
    expect(state['checkpoint']).toBeUndefined();

    // The cursor is consistent: the next sync is incremental, adds nothing, then new mail arrives.
    const again = await producer.add('EMAIL_SYNC', { userId: 'u1', accountId: mailbox.accountId, emailProvider: provider });
    await waitFor('second sync', async () => (await queue.getJob(again.id as string))?.finishedOn);
    expect((await queue.getJob(again.id as string))?.returnvalue).toMatchObject({ new: 0, changed: 0, deleted: 0, fullSync: false });
  }, 90_000);
});
