import { loadFixtureEmails, waitFor } from '@jobs/test-support';
import type { EmailProvider, MailboxEvent } from '@jobs/queue-contracts';
import { parseMessage } from './lib/sync/parse-message';
import { startEmailFakes, startEmailWorkerHarness, type EmailFakes, type EmailWorkerHarness } from './test-support/email-harness';
import { addFakeMailbox, type FakeMailboxHandle } from './test-support/mailbox-fakes';

const fixtures = loadFixtureEmails();
const SINCE = '2000-01-01';

function messages(events: MailboxEvent[]) {
  return events.filter((e): e is Extract<MailboxEvent, { type: 'message' }> => e.type === 'message');
}

/** A new message that is not among the fixtures, for "arrives with the next sync". */
function freshMessage(n: number): Buffer {
  return Buffer.from(
    `From: Alice Buyer <alice@buyer.example>\r\nTo: rep@example.com\r\nSubject: Follow-up ${n}\r\n` +
      `Date: ${new Date().toUTCString()}\r\nMessage-ID: <follow-up-${n}-${Date.now()}@buyer.example>\r\n\r\nAny news on the quote?\r\n`,
  );
}

describe.each<EmailProvider>(['gmail', 'outlook'])('EMAIL_SYNC through %s (real client, local API server, real Redis)', (provider) => {
  let fakes: EmailFakes;
  let harness: EmailWorkerHarness;
  let mailbox: FakeMailboxHandle;
  const data = (accountId = mailbox.accountId) => ({ userId: 'user-1', accountId, emailProvider: provider, syncSince: SINCE });

  beforeEach(async () => {
    fakes = await startEmailFakes();
    harness = await startEmailWorkerHarness(fakes);
    mailbox = addFakeMailbox(fakes, provider, `acc-${provider}`);
  });
  afterEach(async () => {
    await harness.close();
    await fakes.close();
  });

  it('hands every fixture message over exactly once with its fields right; a second sync adds nothing; new mail, changes and deletions arrive next time', async () => {
    const ids = fixtures.map((f) => mailbox.add(f.raw));
    harness.startWorker();

    const first = await harness.sync(data());
    expect(first).toMatchObject({ fetched: 54, new: 54, changed: 0, deleted: 0, repeatsSkipped: 0, fullSync: true, resyncReason: null });
    expect(first.pages).toBeGreaterThanOrEqual(6); // pages of 10
    expect(first.cursor).toEqual(expect.any(String));

    const delivered = messages(await harness.streamEvents(provider));
    expect(delivered).toHaveLength(54);
    expect(new Set(delivered.map((e) => e.message.id))).toEqual(new Set(ids));
    // Each message as delivered equals the fixture's own bytes parsed: the bytes crossed the
    // provider's API intact. (parse-message.spec checks hand-read values of tricky files.)
    const byId = new Map(delivered.map((e) => [e.message.id, e]));
    for (const [i, fixture] of fixtures.entries()) {
      const event = byId.get(ids[i] as string);
      const expected = await parseMessage({ id: '', threadId: '', version: '', labels: [], receivedAt: new Date(0), raw: fixture.raw });
      expect({ name: fixture.name, subject: event?.message.subject, from: event?.message.from, date: event?.message.date }).toEqual({
        name: fixture.name,
        subject: expected.subject,
        from: expected.from,
        date: expected.date,
      });
      expect(event?.message.attachments.map((a) => a.filename)).toEqual(expected.attachments.map((a) => a.filename));
      expect(event).toMatchObject({ userId: 'user-1', accountId: mailbox.accountId, provider, change: 'new' });
    }

    const second = await harness.sync(data());
    expect(second).toMatchObject({ fetched: 0, new: 0, changed: 0, deleted: 0, fullSync: false });
    expect(await harness.streamEvents(provider)).toHaveLength(54);

    const added = mailbox.add(freshMessage(1));
    mailbox.remove(ids[0] as string);
    mailbox.change(ids[1] as string);
    const third = await harness.sync(data());
    expect(third).toMatchObject({ new: 1, changed: 1, deleted: 1, fullSync: false });
    const latest = (await harness.streamEvents(provider)).slice(54);
    expect(latest).toHaveLength(3);
    expect(latest).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'message', change: 'new', message: expect.objectContaining({ id: added, subject: 'Follow-up 1' }) }),
        expect.objectContaining({ type: 'message', change: 'changed', message: expect.objectContaining({ id: ids[1] }) }),
        expect.objectContaining({ type: 'deleted', messageId: ids[0] }),
      ]),
    );
  });

  it('an expired cursor resyncs from before the last sync without losing or doubling mail', async () => {
    const ids = fixtures.slice(0, 20).map((f) => mailbox.add(f.raw));
    harness.startWorker();
    await harness.sync(data());
    const late = [mailbox.add(freshMessage(2)), mailbox.add(freshMessage(3))];
    mailbox.expireCursor();

    const resync = await harness.sync(data());
    // Only the two new messages are downloaded: Outlook's relisting skips versions handed over before.
    expect(resync).toMatchObject({ fullSync: true, resyncReason: 'cursor-expired', new: 2, fetched: 2 });
    const events = await harness.streamEvents(provider);
    const all = messages(events);
    expect(all.map((e) => e.message.id).sort()).toEqual([...ids, ...late].sort());
    // The app is told, before the listing's events, that changes made meanwhile may be missing.
    const resyncEvents = events.filter((e) => e.type === 'resync');
    expect(resyncEvents).toEqual([expect.objectContaining({ type: 'resync', reason: 'cursor-expired', since: expect.any(String) })]);
    expect(events.indexOf(resyncEvents[0] as MailboxEvent)).toBeLessThan(events.findIndex((e) => e.type === 'message' && late.includes(e.message.id)));
    // And the cursor it saved works: the next sync is incremental and empty, and it still sees
    // changes to old mail (messages from 2005–2010, long before the resync's date).
    await expect(harness.sync(data())).resolves.toMatchObject({ fullSync: false, new: 0, changed: 0, deleted: 0 });
    mailbox.change(ids[0] as string);
    mailbox.remove(ids[1] as string);
    await expect(harness.sync(data())).resolves.toMatchObject({ fullSync: false, new: 0, changed: 1, deleted: 1 });
  });

  it('a throttled answer defers the job without using an attempt; a 5xx blip is retried in place', async () => {
    fixtures.slice(0, 12).forEach((f) => mailbox.add(f.raw));
    harness.startWorker();
    mailbox.failNext(1, 503);
    mailbox.throttle(1, 1);
    const job = await harness.add('EMAIL_SYNC', data(), { attempts: 1 });
    const result = await job.waitUntilFinished(harness.events, 20_000);
    expect(result).toMatchObject({ new: 12 });
    const done = await harness.queue.getJob(job.id as string);
    expect(done?.attemptsMade).toBe(1); // only the successful run: the deferral used none
    expect(harness.logs.some((l) => l['msg'] === 'retrying later without using an attempt' && l['delayMs'] === 1000)).toBe(true);
  });

  it('asks for a fresh token once on 401, and fails at once when the fresh one is refused too', async () => {
    fixtures.slice(0, 3).forEach((f) => mailbox.add(f.raw));
    harness.startWorker();
    await harness.sync(data());
    mailbox.rotateToken(`token-${mailbox.accountId}-2`);
    mailbox.add(freshMessage(4));
    await expect(harness.sync(data())).resolves.toMatchObject({ new: 1 });
    expect(fakes.tokens.requests.filter((r) => r.forceRefresh)).toHaveLength(1);

    mailbox.rotateToken(null); // revoked, and the token service has nothing newer
    const job = await harness.add('EMAIL_SYNC', data(), { attempts: 3 });
    await expect(job.waitUntilFinished(harness.events, 30_000)).rejects.toThrow(/refused a freshly issued access token.*reconnect the mailbox/);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
  });

  it('a throttled mailbox does not slow down another mailbox (measured, one worker slot)', async () => {
    await harness.close();
    harness = await startEmailWorkerHarness(fakes, { WORKER_CONCURRENCY: '1' });
    // B and C hold the same 20 messages: B is synced alone, C while A is throttled.
    const b = addFakeMailbox(fakes, provider, `acc-${provider}-b`);
    const c = addFakeMailbox(fakes, provider, `acc-${provider}-c`);
    fixtures.slice(0, 20).forEach((f) => {
      mailbox.add(f.raw);
      b.add(f.raw);
      c.add(f.raw);
    });
    harness.startWorker();

    const baselineStart = Date.now();
    await expect(harness.sync(data(b.accountId))).resolves.toMatchObject({ new: 20 });
    const baselineMs = Date.now() - baselineStart;

    // Mailbox A is first in line and keeps being throttled (Retry-After: 3 s).
    mailbox.throttle(1000, 3);
    const throttledJob = await harness.add('EMAIL_SYNC', data());
    await waitFor('the throttled job to be deferred', () => harness.logs.some((l) => l['msg'] === 'retrying later without using an attempt'));
    const start = Date.now();
    await expect(harness.sync(data(c.accountId))).resolves.toMatchObject({ new: 20 });
    const otherMs = Date.now() - start;
    const throttled = await harness.queue.getJob(throttledJob.id as string);
    expect(await throttled?.getState()).toBe('delayed');
    expect(throttled?.attemptsMade).toBe(0);
    process.stdout.write(
      `[${provider}] 20-message sync: ${baselineMs} ms alone, ${otherMs} ms while another mailbox was throttled (Retry-After 3 s, 1 worker slot)\n`,
    );
    // Mailbox A answers 429 a thousand times over (Retry-After 3 s each): had its job held the
    // single worker slot while waiting, the other sync could not have run at all. That it
    // finished, with A's job still deferred and no attempt used, is the proof; no clock is read.
  });
});
