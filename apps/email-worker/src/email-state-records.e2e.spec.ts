import { loadFixtureEmails } from '@jobs/test-support';
import type { EmailProvider } from '@jobs/queue-contracts';
import { DraftRecordStore } from './lib/drafts/draft-record-store';
import { SyncStateStore } from './lib/sync/sync-state-store';
import { startEmailFakes, startEmailWorkerHarness, type EmailFakes, type EmailWorkerHarness } from './test-support/email-harness';
import { addFakeMailbox, type FakeMailboxHandle } from './test-support/mailbox-fakes';

// Records the worker keeps in Redis are read back through versioned schemas: a record of the
// current version round-trips; one corrupted by hand fails the job at once, naming the key and
// what to do, before any provider or model is asked.

const fixtures = loadFixtureEmails().slice(0, 3);
const ROOT = loadFixtureEmails().find((f) => f.name === 'plain_emails/raw_email_reply.eml');

/** Mail that arrives now (inside every sync's date filter). */
const freshMessage = () =>
  Buffer.from(`From: a@buyer.example\r\nTo: rep@example.com\r\nSubject: New\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <new-${Date.now()}@buyer.example>\r\n\r\nHello\r\n`);

describe('Email worker state read back from Redis (real Redis, local API servers)', () => {
  let fakes: EmailFakes;
  let harness: EmailWorkerHarness;
  beforeEach(async () => {
    fakes = await startEmailFakes();
    harness = await startEmailWorkerHarness(fakes);
  });
  afterEach(async () => {
    await harness.close();
    await fakes.close();
  });

  const stateKey = (provider: EmailProvider, accountId: string) => `${harness.config.keyPrefix}:state:${provider}:${accountId}`;

  /** Adds a sync of the mailbox with three attempts and waits for its failure reason and attempts. */
  async function failedSync(mailbox: FakeMailboxHandle): Promise<{ reason: string; attemptsMade: number }> {
    const job = await harness.add(
      'EMAIL_SYNC',
      { userId: 'user-1', accountId: mailbox.accountId, emailProvider: mailbox.provider, syncSince: '2000-01-01' },
      { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
    );
    const reason = await job.waitUntilFinished(harness.events, 20_000).then(
      () => 'completed',
      (err: unknown) => String(err),
    );
    return { reason, attemptsMade: (await harness.queue.getJob(job.id as string))?.attemptsMade ?? -1 };
  }

  it.each<EmailProvider>(['gmail', 'outlook'])('a %s sync state of the current version round-trips: saved versioned, read back equal, the next sync goes on from it', async (provider) => {
    const mailbox = addFakeMailbox(fakes, provider, `rt-${provider}`);
    for (const f of fixtures) mailbox.add(f.raw);
    harness.startWorker();
    const first = await harness.sync({ userId: 'user-1', accountId: mailbox.accountId, emailProvider: provider, syncSince: '2000-01-01' });
    const hash = await harness.redis.hgetall(stateKey(provider, mailbox.accountId));
    expect(hash['version']).toBe('1');
    const store = new SyncStateStore(harness.redis, harness.config.keyPrefix);
    const ref = { userId: 'user-1', accountId: mailbox.accountId, provider };
    const state = await store.load(ref);
    expect(state).toEqual({ cursor: first.cursor, checkpoint: null, lastSyncStartedAt: new Date(hash['lastSyncStartedAt'] ?? '') });

    const checkpoint = { token: 'page-token', fullSync: true, resyncReason: 'cursor-expired' as const, startedAt: '2026-01-02T03:04:05.678Z' };
    await store.saveCheckpoint(ref, checkpoint);
    expect((await store.load(ref)).checkpoint).toEqual(checkpoint);
    await store.clearCheckpoint(ref);

    mailbox.add(freshMessage());
    const second = await harness.sync({ userId: 'user-1', accountId: mailbox.accountId, emailProvider: provider });
    expect(second).toMatchObject({ fullSync: false, new: 1 });
  });

  it('a state hash written before records had a version is read as version 1', async () => {
    const mailbox = addFakeMailbox(fakes, 'gmail', 'legacy');
    for (const f of fixtures) mailbox.add(f.raw);
    harness.startWorker();
    const first = await harness.sync({ userId: 'user-1', accountId: 'legacy', emailProvider: 'gmail', syncSince: '2000-01-01' });
    await harness.redis.hdel(stateKey('gmail', 'legacy'), 'version');
    mailbox.add(freshMessage());
    const second = await harness.sync({ userId: 'user-1', accountId: 'legacy', emailProvider: 'gmail' });
    expect(first.fullSync).toBe(true);
    expect(second).toMatchObject({ fullSync: false, new: 1 });
  });

  // Each kind of corruption, written by hand where the worker keeps the mailbox's state.
  const corruptions: { name: string; provider: EmailProvider; fields: Record<string, string>; problem: RegExp }[] = [
    { name: 'checkpoint that is not JSON', provider: 'gmail', fields: { checkpoint: '{"token":' }, problem: /checkpoint: not JSON/ },
    {
      name: 'checkpoint of the wrong shape',
      provider: 'outlook',
      fields: { checkpoint: JSON.stringify({ token: 'x', fullSync: 'yes', resyncReason: null, startedAt: 'yesterday' }) },
      problem: /checkpoint\.fullSync: .*; checkpoint\.startedAt: /,
    },
    { name: 'version this worker does not read', provider: 'gmail', fields: { version: '7', cursor: '123' }, problem: /version 7; this worker reads version 1/ },
    { name: 'lastSyncStartedAt that is not a date', provider: 'gmail', fields: { cursor: '123', lastSyncStartedAt: 'soon' }, problem: /lastSyncStartedAt: / },
    { name: 'Gmail cursor that is not a history id', provider: 'gmail', fields: { version: '1', cursor: '{"folders":{}}' }, problem: /cursor: not a Gmail history id/ },
    {
      name: 'Gmail checkpoint token of the wrong shape',
      provider: 'gmail',
      fields: { checkpoint: JSON.stringify({ token: '{"mode":"history","pageToken":"p"}', fullSync: false, resyncReason: null, startedAt: '2026-01-01T00:00:00.000Z' }) },
      problem: /checkpoint: startHistoryId: /,
    },
    { name: 'Graph cursor that is not JSON', provider: 'outlook', fields: { version: '1', cursor: 'https://graph.example/delta' }, problem: /cursor: \(token\): not JSON/ },
    { name: 'Graph cursor of the wrong shape', provider: 'outlook', fields: { version: '1', cursor: JSON.stringify({ folders: { inbox: 7 }, at: 'now' }) }, problem: /cursor: folders\.inbox: .*; at: / },
    {
      name: 'Graph checkpoint token that is not JSON',
      provider: 'outlook',
      fields: { checkpoint: JSON.stringify({ token: 'deltaLink', fullSync: true, resyncReason: null, startedAt: '2026-01-01T00:00:00.000Z' }) },
      problem: /checkpoint: \(token\): not JSON/,
    },
  ];

  it.each(corruptions)('a sync state with a $name fails the job at once, naming the key and what to do, asking the provider nothing', async ({ provider, fields, problem }) => {
    const mailbox = addFakeMailbox(fakes, provider, `bad-${provider}`);
    mailbox.add(fixtures[0]?.raw ?? Buffer.alloc(0));
    const key = stateKey(provider, mailbox.accountId);
    await harness.redis.hset(key, fields);
    harness.startWorker();
    const { reason, attemptsMade } = await failedSync(mailbox);
    expect(reason).toContain(`Stored record ${key} is unreadable`);
    expect(reason).toMatch(problem);
    expect(reason).toContain(`DEL ${key}`);
    expect(attemptsMade).toBe(1);
    expect(mailbox.requestCount()).toBe(0);
    expect(await harness.streamEvents(provider)).toEqual([]);
    // The operator's fix works: the key deleted, the next sync lists the mailbox again.
    await harness.redis.del(key);
    expect(await failedSync(mailbox)).toEqual({ reason: 'completed', attemptsMade: 1 });
  });

  describe('EMAIL_DRAFT record', () => {
    let mailbox: FakeMailboxHandle;
    let threadId: string;
    beforeEach(() => {
      mailbox = addFakeMailbox(fakes, 'gmail', 'drafts');
      if (!ROOT) throw new Error('fixture plain_emails/raw_email_reply.eml missing');
      threadId = mailbox.threadOf(mailbox.add(ROOT.raw));
    });
    const draftData = () => ({ userId: 'user-1', accountId: 'drafts', emailProvider: 'gmail' as const, threadId, context: 'Say yes.', tone: 'concise' as const });

    it('of the current version round-trips: mailbox, reply and draft id read back as saved', async () => {
      const store = new DraftRecordStore(harness.redis, harness.config.keyPrefix, 60_000);
      const reply = { body: 'Yes.', model: 'm', promptTokens: 10, completionTokens: 2, truncatedMessages: 0 };
      await store.saveMailbox('job-1:1', { accountId: 'drafts', provider: 'outlook' });
      await store.saveReply('job-1:1', reply);
      await store.saveDraftId('job-1:1', 'r-123');
      expect(await store.load('job-1:1')).toEqual({ reply, draftId: 'r-123', mailbox: { accountId: 'drafts', provider: 'outlook' } });
      expect(await harness.redis.hget(`${harness.config.keyPrefix}:draft:job-1:1`, 'version')).toBe('1');
      expect(await store.load('job-2:1')).toEqual({ reply: null, draftId: null, mailbox: null });
    });

    it.each([
      { name: 'reply that is not JSON', fields: { reply: 'Yes.' }, problem: /reply: not JSON/ },
      { name: 'reply of the wrong shape', fields: { reply: JSON.stringify({ body: 'Yes.', promptTokens: -1 }) }, problem: /reply\.model: .*reply\.promptTokens: / },
      { name: 'mailbox of an unknown provider', fields: { mailbox: JSON.stringify({ accountId: 'a', provider: 'yahoo' }) }, problem: /mailbox\.provider: / },
      { name: 'version this worker does not read', fields: { version: '2', draftId: 'r-1' }, problem: /version 2; this worker reads version 1/ },
    ])('with a $name fails the job at once, naming the key, before the model is asked', async ({ fields, problem }) => {
      // Added before a worker runs, so the record can be corrupted under the job's own key.
      const job = await harness.add('EMAIL_DRAFT', draftData(), { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
      const key = `${harness.config.keyPrefix}:draft:${job.id}:${job.timestamp}`;
      await harness.redis.hset(key, fields);
      harness.startWorker();
      const reason = await job.waitUntilFinished(harness.events, 20_000).then(
        () => 'completed',
        (err: unknown) => String(err),
      );
      expect(reason).toContain(`Stored record ${key} is unreadable`);
      expect(reason).toMatch(problem);
      expect(reason).toContain(`DEL ${key}`);
      expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
      expect(fakes.chat.requests).toHaveLength(0);
      expect(mailbox.drafts()).toHaveLength(0);
    });
  });
});
