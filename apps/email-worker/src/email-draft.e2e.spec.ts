import { request as httpRequest } from 'node:http';
import { simpleParser } from 'mailparser';
import { loadFixtureEmails, startTestServer, type TestServer } from '@jobs/test-support';
import type { EmailProvider } from '@jobs/queue-contracts';
import { startEmailFakes, startEmailWorkerHarness, type EmailFakes, type EmailWorkerHarness } from './test-support/email-harness';
import { addFakeMailbox, type FakeMailboxHandle } from './test-support/mailbox-fakes';

// The thread starts with a real message (a reply found in the fixtures) and continues with
// follow-ups written for the test, threaded on its Message-ID.
const ROOT = loadFixtureEmails().find((f) => f.name === 'plain_emails/raw_email_reply.eml');
const ROOT_MESSAGE_ID = '<473FFE27.20003@xxx.org>';

function followUp(n: number, body: string): Buffer {
  return Buffer.from(
    `From: Mikel Lindsaar <mikel@xxxx.net>\r\nReply-To: Renewals <renewals@xxxx.net>\r\nTo: Testing <xxxxxxxx@xxx.org>\r\nSubject: Re: Test reply email\r\n` +
      `Date: Mon, ${10 + n} Dec 2007 10:00:00 +0000\r\nMessage-ID: <follow-up-${n}@xxxx.net>\r\n` +
      `In-Reply-To: ${ROOT_MESSAGE_ID}\r\nReferences: ${ROOT_MESSAGE_ID}\r\n\r\n${body}\r\n`,
  );
}

describe.each<EmailProvider>(['gmail', 'outlook'])('EMAIL_DRAFT through %s (real clients, local API servers, real Redis)', (provider) => {
  let fakes: EmailFakes;
  let harness: EmailWorkerHarness;
  let mailbox: FakeMailboxHandle;
  let threadId: string;
  const draftData = (tone: 'friendly' | 'formal' = 'friendly') => ({
    userId: 'user-1',
    accountId: mailbox.accountId,
    emailProvider: provider,
    threadId,
    context: 'Offer a call on Tuesday at 10:00.',
    tone,
  });

  beforeEach(async () => {
    fakes = await startEmailFakes();
    mailbox = addFakeMailbox(fakes, provider, `drafts-${provider}`);
    if (!ROOT) throw new Error('fixture plain_emails/raw_email_reply.eml missing');
    threadId = mailbox.threadOf(mailbox.add(ROOT.raw));
    mailbox.add(followUp(1, 'Could we talk about the renewal next week?'));
  });
  afterEach(async () => {
    await harness.close();
    await fakes.close();
  });

  it('saves a reply draft in the thread, with the tone in the prompt and the reply headers set, and sends nothing', async () => {
    harness = await startEmailWorkerHarness(fakes);
    harness.startWorker();
    const job = await harness.add('EMAIL_DRAFT', draftData('friendly'));
    const result = await job.waitUntilFinished(harness.events, 20_000);

    expect(result).toMatchObject({
      threadId,
      subject: 'Re: Test reply email',
      // The local model echoes the prompt's `Tone:` line: the tone reached the model.
      body: 'Thank you for your message. This reply is written in a friendly tone.\n\nBest regards',
      model: 'local-test-model',
      truncatedMessages: 0,
    });
    expect(result.promptTokens).toBeGreaterThan(0);
    expect(result.completionTokens).toBeGreaterThan(0);

    const [request] = fakes.chat.requests;
    const messages = request?.body?.messages ?? [];
    const system = String(messages[0]?.content);
    expect(messages[0]?.role).toBe('system');
    expect(system).toContain('Tone: friendly');
    expect(system).toContain('untrusted');
    expect(String(messages[1]?.content)).toContain('Could we talk about the renewal next week?');
    expect(String(messages[2]?.content)).toContain('Offer a call on Tuesday at 10:00.');

    const drafts = mailbox.drafts();
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ id: result.draftId, threadId });
    const saved = await simpleParser(drafts[0]?.raw ?? Buffer.alloc(0));
    expect(saved.inReplyTo).toBe('<follow-up-1@xxxx.net>');
    // Addressed to the Reply-To of the message answered, on both providers.
    expect(mailbox.draftRecipients(result.draftId)).toEqual(['renewals@xxxx.net']);
    expect(saved.subject).toMatch(/^re: test reply email$/i);
    expect(saved.text?.trim()).toContain('This reply is written in a friendly tone.');
    expect(mailbox.sentCount()).toBe(0);
  });

  it('a retry after a failure that followed the draft\'s creation updates that draft: one draft, one model call', async () => {
    harness = await startEmailWorkerHarness(fakes);
    harness.startWorker();
    // Gmail: the check that the draft landed in the thread (GET drafts/{id}) fails;
    // Graph: the PATCH that writes the body fails — both after the draft exists, and more
    // often than the in-place retries absorb, so the job's attempt fails.
    const pattern = provider === 'gmail' ? /\/drafts\/[^/]+$/ : /\/messages\/[^/]+$/;
    mailbox.failNext(4, 503, pattern);
    const job = await harness.add('EMAIL_DRAFT', draftData(), { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    const result = await job.waitUntilFinished(harness.events, 20_000);

    const finished = await harness.queue.getJob(job.id as string);
    expect(finished?.attemptsMade).toBe(2);
    expect(mailbox.drafts().map((d) => d.id)).toEqual([result.draftId]);
    expect(fakes.chat.requests).toHaveLength(1);
    expect(harness.logs.some((l) => l['msg'] === 'reply draft saved' && l['updated'] === true)).toBe(true);
  });

  it('cuts a long thread to the model\'s context, newest messages kept, and records the cut', async () => {
    for (let n = 2; n <= 6; n += 1) mailbox.add(followUp(n, `Follow-up number ${n}. ${'Details about the renewal. '.repeat(120)}`));
    harness = await startEmailWorkerHarness(fakes, { OPENAI_CONTEXT_WINDOW_TOKENS: '3000', OPENAI_MAX_OUTPUT_TOKENS: '500' });
    harness.startWorker();
    const job = await harness.add('EMAIL_DRAFT', draftData('formal'));
    const result = await job.waitUntilFinished(harness.events, 20_000);
    expect(result.truncatedMessages).toBeGreaterThan(0);
    const quote = String(fakes.chat.requests[0]?.body?.messages[1]?.content);
    expect(quote).toContain('Follow-up number 6.');
    expect(quote).not.toContain('Follow-up number 2.');
    expect(quote).toContain(`${result.truncatedMessages} older message(s) left out to fit`);
  });

  it('fails at once, without retries, for a thread that does not exist', async () => {
    harness = await startEmailWorkerHarness(fakes);
    harness.startWorker();
    threadId = provider === 'gmail' ? '18c0000000000000' : 'AAQkADoesNotExist=';
    const job = await harness.add('EMAIL_DRAFT', draftData(), { attempts: 3 });
    await expect(job.waitUntilFinished(harness.events, 30_000)).rejects.toThrow(/does not exist/);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
    expect(fakes.chat.requests).toHaveLength(0);
  });

  it('a job id used again later (the first job removed) writes a new draft, not a retry of the old one', async () => {
    harness = await startEmailWorkerHarness(fakes);
    harness.startWorker();
    const first = await harness.add('EMAIL_DRAFT', draftData('friendly'), { jobId: 'draft-for-user-1' });
    const firstResult = await first.waitUntilFinished(harness.events, 20_000);
    await first.remove();
    const otherThread = mailbox.threadOf(mailbox.add(followUpInNewThread()));
    const second = await harness.add('EMAIL_DRAFT', { ...draftData('formal'), threadId: otherThread }, { jobId: 'draft-for-user-1' });
    const secondResult = await second.waitUntilFinished(harness.events, 20_000);
    expect(fakes.chat.requests).toHaveLength(2);
    expect(secondResult.draftId).not.toBe(firstResult.draftId);
    expect(mailbox.drafts().map((d) => d.threadId).sort()).toEqual([threadId, otherThread].sort());
  });
});

describe('EMAIL_DRAFT on Gmail when the answer to drafts.create is lost', () => {
  let fakes: EmailFakes;
  let harness: EmailWorkerHarness;
  let proxy: TestServer;
  afterEach(async () => {
    await harness.close();
    await proxy.close();
    await fakes.close();
  });

  it('the next attempt finds the draft it created by its Message-ID and updates it: one draft', async () => {
    fakes = await startEmailFakes();
    const mailbox = addFakeMailbox(fakes, 'gmail', 'lost-answer');
    if (!ROOT) throw new Error('fixture plain_emails/raw_email_reply.eml missing');
    const threadId = mailbox.threadOf(mailbox.add(ROOT.raw));
    mailbox.add(followUp(1, 'Could we talk about the renewal next week?'));
    // Between worker and Gmail: drafts.create reaches Gmail, but its answer comes after the
    // worker's 1 s request timeout.
    const upstream = new URL(fakes.gmail.origin);
    proxy = await startTestServer((req, res) => {
      const slow = req.method === 'POST' && /\/drafts$/.test(req.url ?? '');
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () =>
            setTimeout(() => {
              if (!res.destroyed) res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
            }, slow ? 1500 : 0),
          );
        },
      );
      req.pipe(forward);
    });
    harness = await startEmailWorkerHarness(fakes, { EMAIL_GMAIL_API_URL: `${proxy.origin}/`, EMAIL_REQUEST_TIMEOUT_MS: '1000' });
    harness.startWorker();
    const job = await harness.add(
      'EMAIL_DRAFT',
      { userId: 'user-1', accountId: mailbox.accountId, emailProvider: 'gmail', threadId, context: 'Say yes.', tone: 'concise' },
      { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
    );
    const result = await job.waitUntilFinished(harness.events, 20_000);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(2);
    expect(mailbox.drafts().map((d) => d.id)).toEqual([result.draftId]);
    expect(proxy.requests.filter((r) => r.startsWith('POST') && r.endsWith('/drafts'))).toHaveLength(1);
  });
});

function followUpInNewThread(): Buffer {
  return Buffer.from(
    'From: Ada <ada@buyer.example>\r\nTo: rep@example.com\r\nSubject: Quote for 40 seats\r\n' +
      'Date: Tue, 05 Mar 2024 09:00:00 +0000\r\nMessage-ID: <quote-40@buyer.example>\r\n\r\nCould you send a quote?\r\n',
  );
}
