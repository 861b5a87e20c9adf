import type { EmailProvider, JobResult } from '@jobs/queue-contracts';
import { startEmailFakes, startEmailWorkerHarness, type EmailFakes, type EmailWorkerHarness } from './test-support/email-harness';
import { addFakeMailbox, type FakeMailboxHandle } from './test-support/mailbox-fakes';

// EMAIL_DRAFT as the seed README enqueues it: { userId, threadId, context, tone }, no mailbox.
// The worker asks the fake app (token service) for the user's mailboxes and each mailbox's real
// provider client (Gmail, Graph, against their fakes) for the thread.

const USER = 'user-seed';

function threadRoot(subject: string, messageId: string): Buffer {
  return Buffer.from(
    `From: Ada Buyer <ada@buyer.example>\r\nTo: rep@example.com\r\nSubject: ${subject}\r\n` +
      `Date: Tue, 05 Mar 2024 09:00:00 +0000\r\nMessage-ID: <${messageId}@buyer.example>\r\n\r\nCould you send a quote for 40 seats?\r\n`,
  );
}

const seedDraft = (threadId: string) => ({ userId: USER, threadId, context: 'Customer inquiry about pricing', tone: 'professional' as const });

describe('EMAIL_DRAFT without accountId/emailProvider (real worker, real clients, fake app and providers, real Redis)', () => {
  let fakes: EmailFakes;
  let harness: EmailWorkerHarness;
  let gmail: FakeMailboxHandle;
  let outlook: FakeMailboxHandle;
  const connect = (...boxes: FakeMailboxHandle[]) => boxes.forEach((b) => fakes.tokens.connectMailbox(USER, { accountId: b.accountId, provider: b.provider }));

  beforeEach(async () => {
    fakes = await startEmailFakes();
    gmail = addFakeMailbox(fakes, 'gmail', 'seed-gmail');
    outlook = addFakeMailbox(fakes, 'outlook', 'seed-outlook');
    harness = await startEmailWorkerHarness(fakes);
    harness.startWorker();
  });
  afterEach(async () => {
    await harness.close();
    await fakes.close();
  });

  describe.each<EmailProvider>(['gmail', 'outlook'])('one user with a Gmail and an Outlook mailbox, the thread in %s', (holder) => {
    it('the job, enqueued as the seed calls it, drafts in that mailbox and nowhere else', async () => {
      connect(gmail, outlook);
      const [inThread, other] = holder === 'gmail' ? [gmail, outlook] : [outlook, gmail];
      // The other mailbox has mail too (a thread of its own), so "absent" is a real answer.
      other.add(threadRoot('Unrelated', 'unrelated-1'));
      const threadId = inThread.threadOf(inThread.add(threadRoot('Quote for 40 seats', 'quote-40')));

      const job = await harness.producer.add('EMAIL_DRAFT', seedDraft(threadId));
      const result = (await job.waitUntilFinished(harness.events, 20_000)) as JobResult<'EMAIL_DRAFT'>;

      expect(result).toMatchObject({ threadId, subject: 'Re: Quote for 40 seats' });
      expect(inThread.drafts()).toEqual([expect.objectContaining({ id: result.draftId, threadId })]);
      expect(other.drafts()).toEqual([]);
      expect(inThread.sentCount() + other.sentCount()).toBe(0);
      expect(fakes.tokens.mailboxListRequests).toEqual([USER]);
      expect(harness.logs.some((l) => l['msg'] === "thread found in the user's mailbox" && l['accountId'] === inThread.accountId)).toBe(true);
    });
  });

  it('a retry drafts in the mailbox recorded by the first attempt, without asking the app or the providers again', async () => {
    connect(gmail, outlook);
    const threadId = outlook.threadOf(outlook.add(threadRoot('Quote for 40 seats', 'quote-40')));
    // The PATCH that writes the draft's body fails after the draft exists, more often than the
    // in-place retries absorb: the first attempt fails after choosing the mailbox.
    outlook.failNext(4, 503, /\/messages\/[^/]+$/);
    const job = await harness.add('EMAIL_DRAFT', seedDraft(threadId), { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    const result = (await job.waitUntilFinished(harness.events, 20_000)) as JobResult<'EMAIL_DRAFT'>;

    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(2);
    expect(outlook.drafts().map((d) => d.id)).toEqual([result.draftId]);
    expect(fakes.tokens.mailboxListRequests).toHaveLength(1);
    const gmailThreadLookups = fakes.gmail.requests.filter((r) => r.mailbox === gmail.address && /\/threads\//.test(r.path));
    expect(gmailThreadLookups).toHaveLength(1);
  });

  it('names one of the two fields only: the search keeps to it (emailProvider alone)', async () => {
    connect(gmail, outlook);
    const threadId = gmail.threadOf(gmail.add(threadRoot('Quote for 40 seats', 'quote-40')));
    const job = await harness.add('EMAIL_DRAFT', { ...seedDraft(threadId), emailProvider: 'gmail' });
    const result = (await job.waitUntilFinished(harness.events, 20_000)) as JobResult<'EMAIL_DRAFT'>;
    expect(gmail.drafts().map((d) => d.id)).toEqual([result.draftId]);
    // Outlook was never asked for the thread.
    expect(fakes.graph.requests.filter((r) => r.mailbox === outlook.address)).toHaveLength(0);
  });

  it('leaves out a listed mailbox whose grant is gone and drafts in the one that holds the thread', async () => {
    connect(gmail, outlook);
    fakes.tokens.setTokens(outlook.accountId, []); // the app no longer has a grant: 404
    const threadId = gmail.threadOf(gmail.add(threadRoot('Quote for 40 seats', 'quote-40')));
    const job = await harness.add('EMAIL_DRAFT', seedDraft(threadId), { attempts: 1 });
    const result = (await job.waitUntilFinished(harness.events, 20_000)) as JobResult<'EMAIL_DRAFT'>;
    expect(gmail.drafts().map((d) => d.id)).toEqual([result.draftId]);
  });

  it('waits and asks again when a mailbox is throttled, rather than decide without it', async () => {
    connect(gmail, outlook);
    const threadId = gmail.threadOf(gmail.add(threadRoot('Quote for 40 seats', 'quote-40')));
    outlook.throttle(1, 1);
    const job = await harness.add('EMAIL_DRAFT', seedDraft(threadId), { attempts: 1 });
    const result = (await job.waitUntilFinished(harness.events, 20_000)) as JobResult<'EMAIL_DRAFT'>;
    expect(gmail.drafts().map((d) => d.id)).toEqual([result.draftId]);
    // Deferred once (no attempt used), then asked again from the start.
    expect(fakes.tokens.mailboxListRequests).toEqual([USER, USER]);
  });

  it('fails at once, without retries, naming why, when the user has no connected mailbox', async () => {
    const threadId = gmail.threadOf(gmail.add(threadRoot('Quote for 40 seats', 'quote-40')));
    const job = await harness.add('EMAIL_DRAFT', seedDraft(threadId), { attempts: 3 });
    await expect(job.waitUntilFinished(harness.events, 30_000)).rejects.toThrow(`User ${USER} has no connected mailbox`);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
    expect(fakes.chat.requests).toHaveLength(0);
    expect(gmail.drafts()).toEqual([]);
  });

  // A Gmail-shaped id is absent from Graph (an empty conversation filter); a Graph-shaped one is
  // refused by Gmail as 400 "Invalid id value", which must read as absent too, not as a mailbox
  // that could not be read.
  it.each([['a Gmail-shaped', '18c0000000000000'], ['an Outlook-shaped', 'AAQkADNotInAnyMailbox0000000000000000000000000=']])(
    'fails at once, without retries, when no connected mailbox holds the thread (%s id)',
    async (_shape, threadId) => {
      connect(gmail, outlook);
      gmail.add(threadRoot('Unrelated', 'unrelated-1'));
      const job = await harness.add('EMAIL_DRAFT', seedDraft(threadId), { attempts: 3 });
      const failure = await job.waitUntilFinished(harness.events, 30_000).then(
        () => 'completed',
        (err: Error) => err.message,
      );
      expect(failure).toBe(`Thread ${threadId} is in none of user ${USER}'s connected mailboxes (gmail:seed-gmail, outlook:seed-outlook)`);
      expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
      expect(fakes.chat.requests).toHaveLength(0);
    },
  );

  it('fails at once, without retries, saying so, when the thread is in two of the user\'s mailboxes', async () => {
    // Two Outlook mailboxes of one tenant (say a personal and a shared one) on the same thread:
    // Exchange shows both the same conversation id.
    const shared = addFakeMailbox(fakes, 'outlook', 'seed-shared');
    connect(gmail, outlook, shared);
    const conversationId = 'AAQkADSharedConversation0000000000000000000000000=';
    outlook.add(threadRoot('Quote for 40 seats', 'quote-40'), { conversationId });
    shared.add(threadRoot('Quote for 40 seats', 'quote-40'), { conversationId });

    const job = await harness.add('EMAIL_DRAFT', seedDraft(conversationId), { attempts: 3 });
    await expect(job.waitUntilFinished(harness.events, 30_000)).rejects.toThrow(
      `Thread ${conversationId} is in more than one of user ${USER}'s mailboxes (outlook:seed-outlook, outlook:seed-shared): pass accountId and emailProvider`,
    );
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
    expect(fakes.chat.requests).toHaveLength(0);
    expect([...outlook.drafts(), ...shared.drafts(), ...gmail.drafts()]).toEqual([]);
  });

  it('with accountId and emailProvider given, asks the app for no mailbox list (as before)', async () => {
    connect(gmail, outlook);
    const threadId = gmail.threadOf(gmail.add(threadRoot('Quote for 40 seats', 'quote-40')));
    const job = await harness.add('EMAIL_DRAFT', { ...seedDraft(threadId), accountId: gmail.accountId, emailProvider: 'gmail' });
    const result = (await job.waitUntilFinished(harness.events, 20_000)) as JobResult<'EMAIL_DRAFT'>;
    expect(gmail.drafts().map((d) => d.id)).toEqual([result.draftId]);
    expect(fakes.tokens.mailboxListRequests).toEqual([]);
  });
});
