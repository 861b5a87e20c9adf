import { auth, gmail, type gmail_v1 } from '@googleapis/gmail';
import { simpleParser } from 'mailparser';
import { loadFixtureEmails, type FixtureEmail } from '../../fixture-emails';
import { startFakeGmailServer, type FakeGmailMailbox, type FakeGmailServer } from './fake-gmail-server';

const EMAIL = 'sync-user@example.com';
const TOKEN = `token-${EMAIL}`;
const BASE_DATE = Date.UTC(2024, 0, 1);
const fixtures = loadFixtureEmails();
const fixture = (name: string): FixtureEmail => {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};

/**
 * Client options every test needs. gaxios 7 outside a browser loads node-fetch v3 (ESM) with a
 * dynamic `import()`, which jest's CommonJS runtime refuses ("A dynamic import callback was invoked
 * without --experimental-vm-modules"); handing it Node's own fetch avoids that import.
 */
const clientOptions = (server: FakeGmailServer) => ({ version: 'v1' as const, rootUrl: `${server.origin}/`, fetchImplementation: fetch });

/** The client as the sync worker builds it: an OAuth2 client holding only an access token. */
function clientFor(server: FakeGmailServer, accessToken = TOKEN): gmail_v1.Gmail {
  const oauth2 = new auth.OAuth2();
  oauth2.setCredentials({ access_token: accessToken });
  return gmail({ ...clientOptions(server), auth: oauth2 });
}

/** What this test reads of the GaxiosError the client throws. */
interface ClientError {
  readonly message: string;
  readonly status?: number;
  readonly code?: number | string;
  readonly cause?: { status?: string; code?: number; errors?: Array<{ reason?: string; domain?: string }> };
  readonly response?: { status: number; headers: Headers; data: unknown };
  readonly config?: { retryConfig?: { currentRetryAttempt?: number } };
}

async function rejection(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('expected the call to fail');
}

/** A small RFC 5322 message, base64url-encoded as the API's `raw` fields want it. */
const rawMessage = (headers: Record<string, string>, body = 'Draft body'): string =>
  Buffer.from([...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', body].join('\r\n')).toString('base64url');

describe('fake Gmail server, driven through @googleapis/gmail', () => {
  let server: FakeGmailServer;
  let mailbox: FakeGmailMailbox;
  let client: gmail_v1.Gmail;

  beforeEach(async () => {
    server = await startFakeGmailServer();
    mailbox = server.addMailbox(EMAIL);
    client = clientFor(server);
  });

  afterEach(() => server.close());

  /** Every fixture, one minute apart in fixture order. */
  const addAllFixtures = (): Array<{ id: string; threadId: string; fixture: FixtureEmail; internalDate: number }> =>
    fixtures.map((f, i) => {
      const internalDate = BASE_DATE + i * 60_000;
      return { ...mailbox.addMessage(f.raw, { internalDate }), fixture: f, internalDate };
    });

  const statuses = (): number[] => server.requests.map((r) => r.status);

  describe('messages', () => {
    it('lists all 54 fixtures exactly once over pages of 10, newest internalDate first', async () => {
      const added = addAllFixtures();
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await client.users.messages.list({ userId: 'me', maxResults: 10, pageToken });
        for (const m of data.messages ?? []) {
          expect(m.threadId).toBe(m.id);
          seen.push(m.id ?? '');
        }
        pageSizes.push(data.messages?.length ?? 0);
        expect(data.resultSizeEstimate).toBe(54);
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);

      expect(fixtures).toHaveLength(54);
      expect(pageSizes).toEqual([10, 10, 10, 10, 10, 4]);
      expect(new Set(seen).size).toBe(54);
      expect(seen).toEqual(added.map((a) => a.id).reverse());
      for (const id of seen) expect(id).toMatch(/^[0-9a-f]{16}$/);
    });

    it('answers format=raw with the exact fixture bytes as unpadded base64url', async () => {
      for (const { id, fixture: f, internalDate } of addAllFixtures()) {
        const { data } = await client.users.messages.get({ userId: 'me', id, format: 'raw' });
        expect(data.raw).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(Buffer.from(data.raw ?? '', 'base64url').equals(f.raw)).toBe(true);
        expect(data).toMatchObject({ id, threadId: id, labelIds: ['INBOX', 'UNREAD'], internalDate: String(internalDate), sizeEstimate: f.raw.length });
        expect(data.historyId).toMatch(/^\d+$/);
        expect(data.payload).toBeUndefined();
      }
    });

    it('answers full, metadata and minimal formats; attachments download through attachments.get', async () => {
      const pdf = fixture('attachment_emails/attachment_pdf.eml');
      const parsed = await simpleParser(pdf.raw);
      const { id } = mailbox.addMessage(pdf.raw);

      const full = (await client.users.messages.get({ userId: 'me', id, format: 'full' })).data;
      expect(full.snippet).toMatch(/^Just attaching another PDF/);
      expect(full.payload).toMatchObject({ partId: '', mimeType: 'multipart/mixed', body: { size: 0 } });
      expect(full.payload?.headers).toContainEqual({ name: 'Subject', value: parsed.subject });
      const [text, attachment] = full.payload?.parts ?? [];
      expect(text).toMatchObject({ partId: '0', mimeType: 'text/plain' });
      // The part's bytes as sent (CRLF); mailparser hands out text with LF line ends.
      const partText = Buffer.from(text.body?.data ?? '', 'base64url').toString('latin1');
      expect(partText.replace(/\r\n/g, '\n').trimEnd()).toBe(parsed.text?.trimEnd());
      expect(attachment).toMatchObject({ partId: '1', mimeType: 'application/pdf', filename: 'broken.pdf' });
      const download = await client.users.messages.attachments.get({ userId: 'me', messageId: id, id: attachment.body?.attachmentId ?? '' });
      expect(Buffer.from(download.data.data ?? '', 'base64url').equals(parsed.attachments[0].content)).toBe(true);
      expect(download.data.size).toBe(parsed.attachments[0].size);

      const metadata = (await client.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['subject', 'Message-ID'] })).data;
      expect(metadata.payload?.headers?.map((h) => h.name)).toEqual(['Message-ID', 'Subject']);
      expect(metadata.payload?.headers).toContainEqual({ name: 'Message-ID', value: parsed.messageId });
      expect(metadata.payload?.parts).toBeUndefined();

      const minimal = (await client.users.messages.get({ userId: 'me', id, format: 'minimal' })).data;
      expect(Object.keys(minimal).sort()).toEqual(['historyId', 'id', 'internalDate', 'labelIds', 'sizeEstimate', 'snippet', 'threadId']);
    });

    it('answers 404 NOT_FOUND for an unknown message id', async () => {
      const error = await rejection(client.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' }));
      expect(error.status).toBe(404);
      expect(error.code).toBe(404);
      expect(error.message).toBe('Requested entity was not found.');
      expect(error.cause).toMatchObject({ status: 'NOT_FOUND', errors: [{ reason: 'notFound', domain: 'global' }] });
    });

    it('orders by internalDate whatever the order of adding', async () => {
      const [a, b, c] = [3, 1, 2].map((minute) => mailbox.addMessage(fixtures[minute].raw, { internalDate: BASE_DATE + minute * 60_000 }).id);
      const { data } = await client.users.messages.list({ userId: 'me' });
      expect(data.messages?.map((m) => m.id)).toEqual([a, c, b]);
      expect(mailbox.listMessages().map((m) => m.id)).toEqual([a, c, b]);
    });

    it('filters by q after:/before: in epoch seconds (after inclusive, before exclusive)', async () => {
      const added = addAllFixtures();
      const from = added[10].internalDate / 1000;
      const { data } = await client.users.messages.list({ userId: 'me', q: `after:${from} before:${from + 10 * 60}` });
      expect(data.messages?.map((m) => m.id)).toEqual(added.slice(10, 20).map((a) => a.id).reverse());
    });

    it('reads q dates YYYY/MM/DD as midnight Pacific time', async () => {
      // 2024-03-15 00:00 in Los Angeles (daylight time, UTC-7) is 07:00 UTC.
      const before = mailbox.addMessage(fixtures[0].raw, { internalDate: Date.UTC(2024, 2, 15, 6, 59) }).id;
      const after = mailbox.addMessage(fixtures[1].raw, { internalDate: Date.UTC(2024, 2, 15, 7, 0) }).id;
      const later = (await client.users.messages.list({ userId: 'me', q: 'in:inbox after:2024/03/15' })).data;
      const earlier = (await client.users.messages.list({ userId: 'me', q: 'before:2024/03/15' })).data;
      expect(later.messages?.map((m) => m.id)).toEqual([after]);
      expect(earlier.messages?.map((m) => m.id)).toEqual([before]);
    });

    it('filters by labelIds, hides SPAM and TRASH unless asked, and leaves out `messages` when none match', async () => {
      const inbox = mailbox.addMessage(fixtures[0].raw, { internalDate: BASE_DATE + 3 }).id;
      const trash = mailbox.addMessage(fixtures[1].raw, { internalDate: BASE_DATE + 2, labelIds: ['TRASH'] }).id;
      const custom = mailbox.addMessage(fixtures[2].raw, { internalDate: BASE_DATE + 1, labelIds: ['INBOX', 'Label_7'] }).id;
      const ids = async (params: gmail_v1.Params$Resource$Users$Messages$List): Promise<string[] | undefined> =>
        (await client.users.messages.list({ userId: 'me', ...params })).data.messages?.map((m) => m.id ?? '');

      expect(await ids({})).toEqual([inbox, custom]);
      expect(await ids({ includeSpamTrash: true })).toEqual([inbox, trash, custom]);
      expect(await ids({ labelIds: ['TRASH'] })).toEqual([trash]);
      expect(await ids({ labelIds: ['INBOX', 'Label_7'] })).toEqual([custom]);
      const empty = await client.users.messages.list({ userId: 'me', labelIds: ['SPAM'] });
      expect(empty.data).toEqual({ resultSizeEstimate: 0 });
      expect(server.requests.at(-1)?.query).toEqual({ labelIds: 'SPAM' });
    });

    it('deletes with 204 and modifies labels, answering the message in minimal format', async () => {
      const { id } = mailbox.addMessage(fixtures[0].raw);
      const modified = await client.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] } });
      expect(modified.data).toMatchObject({ id, labelIds: ['INBOX', 'STARRED'] });
      expect(modified.data.payload).toBeUndefined();
      const deleted = await client.users.messages.delete({ userId: 'me', id });
      expect(deleted.status).toBe(204);
      expect((await rejection(client.users.messages.get({ userId: 'me', id }))).status).toBe(404);
      expect(mailbox.listMessages()).toEqual([]);
    });
  });

  describe('profile and history', () => {
    it('reports totals and the current historyId as a string', async () => {
      addAllFixtures();
      const { data } = await client.users.getProfile({ userId: 'me' });
      expect(data).toEqual({ emailAddress: EMAIL, messagesTotal: 54, threadsTotal: 54, historyId: String(mailbox.historyId) });
      expect(data.historyId).toBe('1054');
    });

    it('records an add, a delete and label changes after startHistoryId, and pages them', async () => {
      const first = mailbox.addMessage(fixtures[0].raw);
      const start = (await client.users.getProfile({ userId: 'me' })).data.historyId ?? '';
      const second = mailbox.addMessage(fixtures[1].raw);
      await client.users.messages.delete({ userId: 'me', id: first.id });
      await client.users.messages.modify({ userId: 'me', id: second.id, requestBody: { addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] } });

      const { data } = await client.users.history.list({ userId: 'me', startHistoryId: start });
      const s = Number(start);
      expect(data).toEqual({
        historyId: String(s + 4),
        history: [
          {
            id: String(s + 1),
            messages: [{ id: second.id, threadId: second.id }],
            messagesAdded: [{ message: { id: second.id, threadId: second.id, labelIds: ['INBOX', 'UNREAD'] } }],
          },
          {
            id: String(s + 2),
            messages: [{ id: first.id, threadId: first.id }],
            messagesDeleted: [{ message: { id: first.id, threadId: first.id, labelIds: ['INBOX', 'UNREAD'] } }],
          },
          {
            id: String(s + 3),
            messages: [{ id: second.id, threadId: second.id }],
            labelsAdded: [{ message: { id: second.id, threadId: second.id, labelIds: ['INBOX', 'UNREAD', 'STARRED'] }, labelIds: ['STARRED'] }],
          },
          {
            id: String(s + 4),
            messages: [{ id: second.id, threadId: second.id }],
            labelsRemoved: [{ message: { id: second.id, threadId: second.id, labelIds: ['INBOX', 'STARRED'] }, labelIds: ['UNREAD'] }],
          },
        ],
      });

      const paged: gmail_v1.Schema$History[] = [];
      let pageToken: string | undefined;
      do {
        const page = await client.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 1, pageToken });
        expect(page.data.history).toHaveLength(1);
        expect(page.data.historyId).toBe(String(s + 4));
        paged.push(...(page.data.history ?? []));
        pageToken = page.data.nextPageToken ?? undefined;
      } while (pageToken);
      expect(paged).toEqual(data.history);

      const labels = await client.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['labelAdded', 'labelRemoved'] });
      expect(labels.data.history?.map((h) => h.id)).toEqual([String(s + 3), String(s + 4)]);
      expect(server.requests.at(-1)?.query).toMatchObject({ historyTypes: ['labelAdded', 'labelRemoved'] });

      const upToDate = await client.users.history.list({ userId: 'me', startHistoryId: String(s + 4) });
      expect(upToDate.data).toEqual({ historyId: String(s + 4) });
    });

    it('answers 400 without startHistoryId', async () => {
      const error = await rejection(client.users.history.list({ userId: 'me' }));
      expect(error.status).toBe(400);
      expect(error.cause?.status).toBe('INVALID_ARGUMENT');
    });

    it('answers 404 for a startHistoryId older than the retained history after expireHistory', async () => {
      mailbox.addMessage(fixtures[0].raw);
      const stale = String(mailbox.historyId);
      mailbox.addMessage(fixtures[1].raw);
      server.expireHistory(EMAIL);

      const error = await rejection(client.users.history.list({ userId: 'me', startHistoryId: stale }));
      expect(error.status).toBe(404);
      expect(error.code).toBe(404);
      expect(error.cause).toMatchObject({ code: 404, status: 'NOT_FOUND', errors: [{ reason: 'notFound' }] });

      // A client that full-syncs takes the current id and goes on from there.
      const current = String(mailbox.historyId);
      const added = mailbox.addMessage(fixtures[2].raw);
      const { data } = await client.users.history.list({ userId: 'me', startHistoryId: current });
      expect(data.history?.map((h) => h.messagesAdded?.[0].message?.id)).toEqual([added.id]);
    });
  });

  describe('throttling, failures and the client’s own retries', () => {
    it('429 once: the client retries by itself (about 100 ms later, ignoring Retry-After) and succeeds', async () => {
      server.throttle(EMAIL, { count: 1, retryAfterSeconds: 30 });
      const started = Date.now();
      const { data } = await client.users.getProfile({ userId: 'me' });
      expect(data.emailAddress).toBe(EMAIL);
      expect(statuses()).toEqual([429, 200]);
      // Honouring Retry-After would take 30 s; half that is a ceiling no busy machine reaches.
      expect(Date.now() - started).toBeLessThan(15_000);
    });

    it('429 persisting: 3 retries (4 requests, backoff 100 + 500 + 1500 ms), then a GaxiosError with status, Retry-After and reason', async () => {
      server.throttle(EMAIL, { count: 10, retryAfterSeconds: 7 });
      const started = Date.now();
      const error = await rejection(client.users.messages.list({ userId: 'me' }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
      expect(statuses()).toEqual([429, 429, 429, 429]);
      expect(error.status).toBe(429);
      expect(error.code).toBe(429);
      expect(error.response?.status).toBe(429);
      expect(error.response?.headers.get('retry-after')).toBe('7');
      expect(error.cause).toMatchObject({ status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] });
      expect(error.config?.retryConfig?.currentRetryAttempt).toBe(3);
      // gaxios 7 has no top-level `errors`: the reason is on `cause` and in the response body.
      expect((error as { errors?: unknown }).errors).toBeUndefined();
      expect(error.response?.data).toMatchObject({ error: { errors: [{ reason: 'rateLimitExceeded' }] } });
    });

    it('403 userRateLimitExceeded is not retried', async () => {
      server.throttle(EMAIL, { count: 5, status: 403, retryAfterSeconds: 2 });
      const error = await rejection(client.users.messages.list({ userId: 'me' }));
      expect(statuses()).toEqual([403]);
      expect(error.status).toBe(403);
      expect(error.response?.headers.get('retry-after')).toBe('2');
      expect(error.cause).toMatchObject({ status: 'PERMISSION_DENIED', errors: [{ reason: 'userRateLimitExceeded' }] });
    });

    it('503 once on a GET is retried and succeeds; on a POST it is not retried', async () => {
      server.failNext(EMAIL, { count: 1 });
      await client.users.messages.list({ userId: 'me' });
      expect(statuses()).toEqual([503, 200]);

      server.failNext(EMAIL, { count: 1 });
      const error = await rejection(client.users.drafts.create({ userId: 'me', requestBody: { message: { raw: rawMessage({ Subject: 'x' }) } } }));
      expect(statuses()).toEqual([503, 200, 503]);
      expect(error.status).toBe(503);
      expect(error.cause).toMatchObject({ status: 'UNAVAILABLE', errors: [{ reason: 'backendError' }] });
      expect(mailbox.listDrafts()).toEqual([]);
    });

    it('500 backendError, with the client’s retry switched off per call', async () => {
      server.failNext(EMAIL, { count: 1, status: 500 });
      const error = await rejection(client.users.messages.list({ userId: 'me' }, { retry: false }));
      expect(statuses()).toEqual([500]);
      expect(error.status).toBe(500);
      expect(error.cause).toMatchObject({ status: 'INTERNAL', errors: [{ reason: 'backendError' }] });
    });

    it('limits injected failures to paths matching pathPattern', async () => {
      server.failNext(EMAIL, { count: 1, status: 400, pathPattern: /\/history$/ });
      await client.users.getProfile({ userId: 'me' });
      const error = await rejection(client.users.history.list({ userId: 'me', startHistoryId: '1000' }));
      expect(error.status).toBe(400);
      expect(statuses()).toEqual([200, 400]);
    });

    it('delays every response by the configured latency', async () => {
      server.setLatencyMs(150);
      const started = Date.now();
      await client.users.getProfile({ userId: 'me' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(server.requests).toEqual([
        { method: 'GET', path: '/gmail/v1/users/me/profile', query: {}, mailbox: EMAIL, status: 200, at: expect.any(Number) },
      ]);
    });
  });

  describe('authentication', () => {
    it('answers 401 with WWW-Authenticate to a revoked token, without a retry or refresh', async () => {
      server.revokeToken(TOKEN);
      const error = await rejection(client.users.getProfile({ userId: 'me' }));
      expect(statuses()).toEqual([401]);
      expect(error.status).toBe(401);
      expect(error.response?.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/", error="invalid_token"');
      expect(error.cause).toMatchObject({ status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] });
      expect(server.requests[0].mailbox).toBeUndefined();
    });

    it('answers 401 without a token, and accepts a token passed as a plain header', async () => {
      const anonymous = gmail(clientOptions(server));
      expect((await rejection(anonymous.users.getProfile({ userId: 'me' }))).status).toBe(401);
      server.issueToken(EMAIL, 'second-token');
      const viaHeader = gmail({ ...clientOptions(server), headers: { Authorization: 'Bearer second-token' } });
      expect((await viaHeader.users.getProfile({ userId: 'me' })).data.emailAddress).toBe(EMAIL);
    });

    it('resolves users/<own address>, and answers 403 to another mailbox’s address', async () => {
      server.addMailbox('other@example.com');
      expect((await client.users.getProfile({ userId: EMAIL })).data.emailAddress).toBe(EMAIL);
      const error = await rejection(client.users.getProfile({ userId: 'other@example.com' }));
      expect(error.status).toBe(403);
      expect(error.cause).toMatchObject({ status: 'PERMISSION_DENIED', errors: [{ reason: 'forbidden' }] });
    });

    it('answers any other path with 404 in Google’s error shape', async () => {
      const headers = { Authorization: `Bearer ${TOKEN}` };
      for (const path of ['/gmail/v1/users/me/labels', '/nope']) {
        const response = await fetch(`${server.origin}${path}`, { headers });
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({
          error: {
            code: 404,
            message: 'Requested entity was not found.',
            errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }],
            status: 'NOT_FOUND',
          },
        });
      }
    });
  });

  describe('drafts', () => {
    it('creates, gets, updates (new message id), lists and deletes a draft, recording history', async () => {
      const start = mailbox.historyId;
      const firstRaw = rawMessage({ From: EMAIL, To: 'a@example.com', Subject: 'Plans' }, 'first version');
      const created = (await client.users.drafts.create({ userId: 'me', requestBody: { message: { raw: firstRaw } } })).data;
      const draftId = created.id ?? '';
      const firstMessage = created.message?.id ?? '';
      expect(draftId).toMatch(/^r-?\d+$/);
      expect(created.message).toEqual({ id: firstMessage, threadId: firstMessage, labelIds: ['DRAFT'] });

      expect((await client.users.messages.list({ userId: 'me' })).data.messages).toBeUndefined();
      const listedDrafts = (await client.users.messages.list({ userId: 'me', labelIds: ['DRAFT'] })).data.messages;
      expect(listedDrafts).toEqual([{ id: firstMessage, threadId: firstMessage }]);
      expect((await client.users.messages.get({ userId: 'me', id: firstMessage })).data.labelIds).toEqual(['DRAFT']);
      const got = (await client.users.drafts.get({ userId: 'me', id: draftId, format: 'raw' })).data;
      expect(got.id).toBe(draftId);
      expect(got.message?.raw).toBe(firstRaw);

      const secondRaw = rawMessage({ From: EMAIL, To: 'a@example.com', Subject: 'Plans' }, 'second version');
      const updated = (await client.users.drafts.update({ userId: 'me', id: draftId, requestBody: { message: { raw: secondRaw } } })).data;
      const secondMessage = updated.message?.id ?? '';
      expect(updated.id).toBe(draftId);
      expect(secondMessage).not.toBe(firstMessage);
      expect((await rejection(client.users.messages.get({ userId: 'me', id: firstMessage }))).status).toBe(404);
      expect((await client.users.drafts.list({ userId: 'me' })).data).toEqual({
        drafts: [{ id: draftId, message: { id: secondMessage, threadId: secondMessage } }],
        resultSizeEstimate: 1,
      });
      expect(mailbox.listDrafts().map((d) => [d.id, d.message.id])).toEqual([[draftId, secondMessage]]);

      expect((await client.users.drafts.delete({ userId: 'me', id: draftId })).status).toBe(204);
      expect((await rejection(client.users.drafts.get({ userId: 'me', id: draftId }))).status).toBe(404);
      expect((await client.users.drafts.list({ userId: 'me' })).data).toEqual({ resultSizeEstimate: 0 });

      const history = (await client.users.history.list({ userId: 'me', startHistoryId: String(start) })).data.history ?? [];
      expect(history.map((h) => [Object.keys(h).find((k) => k !== 'id' && k !== 'messages'), h.messages?.[0].id])).toEqual([
        ['messagesAdded', firstMessage],
        ['messagesDeleted', firstMessage],
        ['messagesAdded', secondMessage],
        ['messagesDeleted', secondMessage],
      ]);
      expect(history[0].messagesAdded?.[0].message?.labelIds).toEqual(['DRAFT']);
    });

    describe('threading (Gmail: threadId given, In-Reply-To/References set, subjects match)', () => {
      let root: { id: string; threadId: string };
      let rootMessageId: string;
      let rootSubject: string;

      beforeEach(async () => {
        const basic = fixture('plain_emails/basic_email.eml');
        const parsed = await simpleParser(basic.raw);
        rootMessageId = parsed.messageId ?? '';
        rootSubject = parsed.subject ?? '';
        root = mailbox.addMessage(basic.raw, { internalDate: BASE_DATE });
      });

      const reply = (overrides: Record<string, string> = {}): string =>
        rawMessage({ From: EMAIL, Subject: `Re: ${rootSubject}`, 'In-Reply-To': rootMessageId, References: rootMessageId, ...overrides });

      it('a reply draft joins the thread, and threads.get lists it after the original', async () => {
        expect(rootMessageId).toMatch(/^<.+>$/);
        const { data } = await client.users.drafts.create({ userId: 'me', requestBody: { message: { raw: reply(), threadId: root.threadId } } });
        expect(data.message?.threadId).toBe(root.threadId);
        const thread = (await client.users.threads.get({ userId: 'me', id: root.threadId, format: 'minimal' })).data;
        expect(thread.messages?.map((m) => m.id)).toEqual([root.id, data.message?.id]);
        expect(thread.historyId).toBe(String(mailbox.historyId));
      });

      it.each([
        ['the subject differs', { Subject: 'Re: something else' }, (): string => root.threadId],
        [
          'the headers reference no message of the thread',
          { 'In-Reply-To': '<unknown@example.com>', References: '<unknown@example.com>' },
          (): string => root.threadId,
        ],
        ['the thread does not exist', {}, (): string => '18aaaaaaaaaaaaaa'],
      ])('a reply draft starts a new thread when %s', async (_case, overrides, threadId) => {
        const { data } = await client.users.drafts.create({ userId: 'me', requestBody: { message: { raw: reply(overrides), threadId: threadId() } } });
        expect(data.message?.threadId).toBe(data.message?.id);
        expect(data.message?.threadId).not.toBe(root.threadId);
      });

      it('an update is threaded afresh by the same rules', async () => {
        const created = (await client.users.drafts.create({ userId: 'me', requestBody: { message: { raw: reply(), threadId: root.threadId } } })).data;
        const moved = (
          await client.users.drafts.update({
            userId: 'me',
            id: created.id ?? '',
            requestBody: { message: { raw: reply({ Subject: 'Changed my mind' }), threadId: root.threadId } },
          })
        ).data;
        expect(moved.message?.threadId).toBe(moved.message?.id);
      });

      it('a received reply joins the thread through In-Reply-To / References', async () => {
        const received = mailbox.addMessage(Buffer.from(reply({ 'Message-ID': '<reply@example.com>' }), 'base64url'));
        expect(received.threadId).toBe(root.threadId);
        const thread = (await client.users.threads.get({ userId: 'me', id: root.threadId, format: 'metadata', metadataHeaders: ['Subject'] })).data;
        expect(thread.messages?.map((m) => m.payload?.headers?.[0].value)).toEqual([rootSubject, `Re: ${rootSubject}`]);
        expect((await client.users.getProfile({ userId: 'me' })).data.threadsTotal).toBe(1);
      });
    });
  });

  it('copes with 100 000 messages: lists and history page through them all', async () => {
    const raws = fixtures.slice(0, 5).map((f) => f.raw);
    for (let i = 0; i < 100_000; i++) mailbox.addMessage(raws[i % raws.length], { internalDate: BASE_DATE + i * 1000 });
    let listed = 0;
    let pageToken: string | undefined;
    do {
      const { data } = await client.users.messages.list({ userId: 'me', maxResults: 500, pageToken });
      listed += data.messages?.length ?? 0;
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(listed).toBe(100_000);

    let recorded = 0;
    do {
      const { data } = await client.users.history.list({ userId: 'me', startHistoryId: '1000', maxResults: 500, pageToken });
      recorded += data.history?.length ?? 0;
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(recorded).toBe(100_000);
    expect((await client.users.getProfile({ userId: 'me' })).data).toMatchObject({ messagesTotal: 100_000, historyId: '101000' });
  });
});
