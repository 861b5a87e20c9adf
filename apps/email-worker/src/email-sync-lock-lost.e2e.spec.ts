import { loadFixtureEmails, waitFor } from '@jobs/test-support';
import { startEmailFakes, startEmailWorkerHarness, type EmailFakes, type EmailWorkerHarness } from './test-support/email-harness';
import { addFakeMailbox } from './test-support/mailbox-fakes';

const fixtures = loadFixtureEmails();

describe('EMAIL_SYNC whose mailbox lock is lost mid-sync', () => {
  let fakes: EmailFakes;
  let harness: EmailWorkerHarness;
  beforeEach(async () => {
    fakes = await startEmailFakes();
    // A short lock TTL, so the extension that finds the lock taken comes within a second.
    harness = await startEmailWorkerHarness(fakes, { WORKER_LOCK_DURATION_MS: '1500' });
  });
  afterEach(async () => {
    await harness.close();
    await fakes.close();
  });

  it('stops the sync (another worker may hold the mailbox now), then the retry resumes and hands every message over once', async () => {
    const mailbox = addFakeMailbox(fakes, 'gmail', 'acc-lost');
    for (const fixture of fixtures) mailbox.add(fixture.raw);
    // Slow answers keep the sync running long enough to take its lock away in the middle.
    fakes.gmail.setLatencyMs(150);
    harness.startWorker();
    const job = await harness.add(
      'EMAIL_SYNC',
      { userId: 'user-1', accountId: 'acc-lost', emailProvider: 'gmail', syncSince: '2000-01-01' },
      { attempts: 2, backoff: { type: 'fixed', delay: 200 } },
    );
    await waitFor('the sync to be under way', async () => ((await harness.streamEvents('gmail')).length > 0 ? true : undefined), {
      timeoutMs: 60_000,
    });
    // Gmail slows to a crawl, so the sync cannot finish before the lock's next extension (every
    // half TTL) finds the lock taken, however busy the machine is.
    fakes.gmail.setLatencyMs(10_000);
    // Another worker takes the mailbox lock (as if this one had stalled past its TTL).
    const lockKey = `${harness.config.keyPrefix}:lock:gmail:acc-lost`;
    expect(await harness.redis.exists(lockKey)).toBe(1);
    await harness.redis.set(lockKey, 'another-worker', 'PX', 2000);
    await waitFor('the first attempt to fail', async () => ((await harness.queue.getJob(job.id as string))?.attemptsMade === 1 ? true : undefined), {
      timeoutMs: 60_000,
    });
    fakes.gmail.setLatencyMs(0);

    const result = await job.waitUntilFinished(harness.events, 120_000);
    const stored = await harness.queue.getJob(job.id as string);
    // The first attempt failed on the lost lock; the second waited for the other holder's lock
    // to expire, then resumed from the checkpoint.
    expect(stored?.attemptsMade).toBe(2);
    expect((stored?.stacktrace ?? []).join('\n')).toMatch(/LockLostError|Lost the Redis lock/);
    expect(result).toMatchObject({ fullSync: true });
    const events = await harness.streamEvents('gmail');
    const ids = events.flatMap((e) => (e.type === 'message' ? [e.message.id] : []));
    expect(ids).toHaveLength(fixtures.length);
    expect(new Set(ids).size).toBe(fixtures.length);
  }, 180_000);
});
