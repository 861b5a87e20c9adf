import {
  AuthenticationHandler,
  Client,
  GraphClientError,
  GraphError,
  HTTPMessageHandler,
  PageIterator,
  ResponseType,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { simpleParser } from 'mailparser';
import { loadFixtureEmails, type FixtureEmail } from '../../fixture-emails';
import { startFakeGraphMailServer, type FakeGraphMailbox, type FakeGraphMailServer } from './fake-graph-mail-server';

// Every test drives the fake through the real @microsoft/microsoft-graph-client 3.0.7.

const UPN = 'alice@contoso.test';
const TOKEN = `token-${UPN}`;
const PAGE_OF_10 = { Prefer: 'odata.maxpagesize=10' };

/** Client.init with the SDK's default middleware chain (Auth → Retry → Redirect → Telemetry → fetch). */
function defaultClient(server: FakeGraphMailServer, token = TOKEN): Client {
  return Client.init({
    baseUrl: server.origin,
    customHosts: new Set(['127.0.0.1']),
    fetchOptions: { dispatcher: server.dispatcher },
    authProvider: (done) => done(null, token),
  });
}

/** A chain without RetryHandler: every failure reaches the caller after exactly one request. */
function noRetryClient(server: FakeGraphMailServer, token = TOKEN): Client {
  return Client.initWithMiddleware({
    baseUrl: server.origin,
    customHosts: new Set(['127.0.0.1']),
    fetchOptions: { dispatcher: server.dispatcher },
    middleware: [new AuthenticationHandler({ getAccessToken: async () => token }), new HTTPMessageHandler()],
  });
}

interface DeltaPage {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  value: Array<Record<string, unknown> & { id: string }>;
}

/** Follows `@odata.nextLink` (absolute URLs, straight into client.api) to the deltaLink. */
async function deltaRound(client: Client, start: string): Promise<{ pages: DeltaPage[]; items: DeltaPage['value']; deltaLink: string }> {
  const pages: DeltaPage[] = [(await client.api(start).headers(PAGE_OF_10).get()) as DeltaPage];
  while (pages[pages.length - 1]['@odata.nextLink']) {
    pages.push((await client.api(pages[pages.length - 1]['@odata.nextLink'] as string).headers(PAGE_OF_10).get()) as DeltaPage);
  }
  const deltaLink = pages[pages.length - 1]['@odata.deltaLink'];
  if (!deltaLink) throw new Error('last page has no deltaLink');
  return { pages, items: pages.flatMap((p) => p.value), deltaLink };
}

async function caught(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  throw new Error('expected a GraphError');
}

function mail(headers: Record<string, string>, body = 'Hello.'): string {
  return `${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}\r\n`;
}

describe('fake Graph mail server, through @microsoft/microsoft-graph-client', () => {
  let fixtures: FixtureEmail[];
  let server: FakeGraphMailServer;
  let mailbox: FakeGraphMailbox;
  let client: Client;

  beforeAll(() => {
    fixtures = loadFixtureEmails();
  });

  beforeEach(async () => {
    server = await startFakeGraphMailServer({ protocol: 'https' });
    mailbox = server.addMailbox(UPN);
    client = defaultClient(server);
  });

  afterEach(async () => {
    await server.close();
  });

  describe('delta', () => {
    const start = "/me/mailFolders/inbox/messages/delta?$select=subject,from,isRead,conversationId";

    it('syncs all 54 fixtures exactly once in pages of 10, then a deltaLink round returns nothing', async () => {
      const added = fixtures.map((f) => mailbox.addMessage(f.raw).id);
      const round = await deltaRound(client, start);

      expect(round.pages.map((p) => p.value.length)).toEqual([10, 10, 10, 10, 10, 4]);
      expect(round.items.map((i) => i.id).sort()).toEqual([...added].sort());
      for (const page of round.pages.slice(0, -1)) {
        expect(page['@odata.nextLink']).toMatch(new RegExp(`^${server.origin}/v1\\.0/me/mailFolders\\('[^']+'\\)/messages/delta\\?\\$skiptoken=`));
        expect(page['@odata.deltaLink']).toBeUndefined();
      }
      expect(round.deltaLink).toMatch(new RegExp(`^${server.origin}/v1\\.0/.*/messages/delta\\?\\$deltatoken=`));
      expect(round.pages[0]['@odata.context']).toBe(`${server.origin}/v1.0/$metadata#Collection(message)`);
      // $select travels inside the skip token, as in Graph: later pages carry the same properties.
      for (const item of round.items) {
        expect(Object.keys(item).sort()).toEqual(['@odata.etag', '@odata.type', 'conversationId', 'from', 'id', 'isRead', 'subject']);
        expect(item['@odata.type']).toBe('#microsoft.graph.message');
      }
      const byId = new Map(round.items.map((i) => [i.id, i]));
      const first = mailbox.listMessages()[0];
      expect(byId.get(first.id)).toMatchObject({ subject: first.subject, from: first.from, '@odata.etag': `W/"${first.changeKey}"` });

      const again = (await client.api(round.deltaLink).get()) as DeltaPage;
      expect(again.value).toEqual([]);
      expect(again['@odata.deltaLink']).toMatch(/\$deltatoken=/);
    });

    it('reports an add, a read flag (once, however often it changed), a delete and a move in the next round', async () => {
      const [a, b, c, d] = fixtures.slice(0, 4).map((f) => mailbox.addMessage(f.raw).id);
      const { deltaLink } = await deltaRound(client, start);
      const keyBefore = mailbox.getMessage(b)?.changeKey;

      const added = mailbox.addMessage(fixtures[10].raw).id;
      mailbox.markRead(b, true);
      mailbox.markRead(b, true);
      mailbox.deleteMessage(c);
      mailbox.moveMessage(d, 'deleteditems');

      const next = await deltaRound(client, deltaLink);
      const byId = new Map(next.items.map((i) => [i.id, i]));
      expect(next.items).toHaveLength(4);
      expect(byId.get(added)).toMatchObject({ subject: mailbox.getMessage(added)?.subject, isRead: false });
      expect(byId.get(b)).toMatchObject({ isRead: true, '@odata.etag': `W/"${mailbox.getMessage(b)?.changeKey}"` });
      expect(mailbox.getMessage(b)?.changeKey).not.toBe(keyBefore);
      expect(byId.get(c)).toEqual({ '@odata.type': '#microsoft.graph.message', id: c, '@removed': { reason: 'deleted' } });
      expect(byId.get(d)).toEqual({ '@odata.type': '#microsoft.graph.message', id: d, '@removed': { reason: 'deleted' } });
      expect(byId.has(a)).toBe(false);

      const deletedItems = await deltaRound(client, '/me/mailFolders/deleteditems/messages/delta?$select=subject');
      expect(deletedItems.items.map((i) => i.id)).toEqual([d]);
      expect((await deltaRound(client, next.deltaLink)).items).toEqual([]);
    });

    it("works with the SDK's PageIterator, which follows the absolute links itself", async () => {
      for (const f of fixtures) mailbox.addMessage(f.raw);
      const ids: string[] = [];
      const first = await client.api(start).headers(PAGE_OF_10).get();
      const iterator = new PageIterator(client, first, (item: { id: string }) => ids.push(item.id) > 0, { headers: PAGE_OF_10 });
      await iterator.iterate();
      expect(new Set(ids).size).toBe(54);
      expect(iterator.getDeltaLink()).toMatch(/\$deltatoken=/);
      expect(server.requests.filter((r) => r.path.endsWith('/delta'))).toHaveLength(6);
    });

    it('answers an expired, foreign or tampered delta/skip token with 410 SyncStateNotFound', async () => {
      for (const f of fixtures.slice(0, 15)) mailbox.addMessage(f.raw);
      const firstPage = (await client.api(start).headers(PAGE_OF_10).get()) as DeltaPage;
      const { deltaLink } = await deltaRound(client, start);

      server.expireDeltaTokens(UPN);
      for (const link of [deltaLink, firstPage['@odata.nextLink'] as string, deltaLink.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'))]) {
        const err = await caught(client.api(link).get());
        expect(err).toMatchObject({ statusCode: 410, code: 'SyncStateNotFound' });
      }
      // A fresh round starts over.
      expect((await deltaRound(client, start)).items).toHaveLength(15);

      server.addMailbox('bob@contoso.test');
      const bobsDeltaLink = (await deltaRound(defaultClient(server, 'token-bob@contoso.test'), start)).deltaLink;
      expect(await caught(client.api(bobsDeltaLink.replace(/mailFolders\('[^']+'\)/, "mailFolders('inbox')")).get())).toMatchObject({ statusCode: 410 });
    });
  });

  describe('messages', () => {
    it('$value returns the exact bytes: ARRAYBUFFER for bytes, TEXT (or no responseType) decodes UTF-8', async () => {
      const ids = fixtures.map((f) => mailbox.addMessage(f.raw).id);
      for (const [i, id] of ids.entries()) {
        const bytes = (await client.api(`/me/messages/${id}/$value`).responseType(ResponseType.ARRAYBUFFER).get()) as ArrayBuffer;
        expect(Buffer.from(bytes).equals(fixtures[i].raw)).toBe(true);
      }
      // All fixtures are valid UTF-8, so text matches too; without responseType the SDK picks text
      // from the text/plain content type.
      expect(await client.api(`/me/messages/${ids[0]}/$value`).get()).toBe(fixtures[0].raw.toString('utf8'));
      expect(await client.api(`/me/messages/${ids[1]}/$value`).responseType(ResponseType.TEXT).get()).toBe(fixtures[1].raw.toString('utf8'));

      const latin1 = Buffer.from(mail({ Subject: 'caf\xe9', 'Content-Type': 'text/plain; charset=iso-8859-1' }, 'caf\xe9'), 'latin1');
      const id = mailbox.addMessage(latin1).id;
      const text = (await client.api(`/me/messages/${id}/$value`).responseType(ResponseType.TEXT).get()) as string;
      expect(Buffer.from(text, 'utf8').equals(latin1)).toBe(false); // 8-bit bytes do not survive text
      const bytes = (await client.api(`/me/messages/${id}/$value`).responseType(ResponseType.ARRAYBUFFER).get()) as ArrayBuffer;
      expect(Buffer.from(bytes).equals(latin1)).toBe(true);
    });

    it('GET by id honours $select; an unknown id is a 404 GraphError, except with a non-JSON responseType', async () => {
      const { id } = mailbox.addMessage(fixtures.find((f) => f.name === 'plain_emails/basic_email.eml')!.raw);
      const message = await client.api(`/me/messages/${id}`).select(['subject', 'internetMessageId', 'body']).get();
      expect(Object.keys(message).sort()).toEqual(['@odata.context', '@odata.etag', 'body', 'id', 'internetMessageId', 'subject']);
      expect(message['@odata.context']).toBe(`${server.origin}/v1.0/$metadata#users('alice%40contoso.test')/messages/$entity`);
      expect(message.body.contentType).toMatch(/^(text|html)$/);

      const notFound = await caught(client.api('/me/messages/AAMkADnope=').get());
      expect(notFound).toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' });
      expect(notFound.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(notFound.body as string)).toMatchObject({ code: 'ErrorItemNotFound', innerError: { 'request-id': notFound.requestId } });
      expect((notFound as GraphError & { headers?: Headers }).headers?.get('request-id')).toBe(notFound.requestId);

      // With responseType ARRAYBUFFER the SDK throws the unparsed body: code, message and headers are lost.
      const raw404 = await caught(client.api('/me/messages/AAMkADnope=/$value').responseType(ResponseType.ARRAYBUFFER).get());
      expect(raw404).toMatchObject({ statusCode: 404, code: null, message: '' });
      expect((raw404 as GraphError & { headers?: Headers }).headers).toBeUndefined();

      const badSelect = await caught(client.api(`/me/messages/${id}`).select('nonsense').get());
      expect(badSelect).toMatchObject({ statusCode: 400, code: 'RequestBroker--ParseUri' });
    });

    it("joins replies to their conversation and filters by conversationId eq '...' with paging", async () => {
      const root = mailbox.addMessage(mail({ 'Message-ID': '<root@x.test>', Subject: 'Plan', From: 'Bob <bob@x.test>' }));
      const reply = mailbox.addMessage(mail({ 'Message-ID': '<r1@x.test>', 'In-Reply-To': '<root@x.test>', Subject: 'Re: Plan' }));
      const deep = mailbox.addMessage(mail({ 'Message-ID': '<r2@x.test>', References: '<root@x.test> <r1@x.test>', Subject: 'Re: Plan' }));
      const other = mailbox.addMessage(mail({ 'Message-ID': '<other@x.test>', References: '<unknown@x.test>', Subject: 'Other' }));
      expect(new Set([root, reply, deep].map((m) => m.conversationId)).size).toBe(1);
      expect(other.conversationId).not.toBe(root.conversationId);

      const first = await client.api('/me/messages').filter(`conversationId eq '${root.conversationId}'`).select('subject').top(2).get();
      expect(first.value).toHaveLength(2);
      expect(first['@odata.nextLink']).toMatch(new RegExp(`^${server.origin}/v1\\.0/me/messages\\?`));
      const second = await client.api(first['@odata.nextLink']).get();
      expect(second['@odata.nextLink']).toBeUndefined();
      expect([...first.value, ...second.value].map((m: { id: string }) => m.id).sort()).toEqual([root.id, reply.id, deep.id].sort());
      expect(Object.keys(second.value[0]).sort()).toEqual(['@odata.etag', 'id', 'subject']);

      const unsupported = await caught(client.api('/me/messages').filter("subject eq 'Plan'").get());
      expect(unsupported).toMatchObject({ statusCode: 400, code: 'ErrorInvalidUrlQueryFilter' });
      const withOrder = await caught(client.api('/me/messages').filter(`conversationId eq '${root.conversationId}'`).orderby('receivedDateTime').get());
      expect(withOrder).toMatchObject({ statusCode: 400, code: 'InefficientFilter' });
    });

    it('createReply makes a 201 draft in the conversation; PATCH rewrites the body of drafts only', async () => {
      const original = mailbox.addMessage(
        mail({ 'Message-ID': '<q@x.test>', References: '<older@x.test>', Subject: 'Invoice 42', From: '"Bob B." <bob@x.test>', To: UPN }, 'Where is it?'),
      );
      const created = (await client
        .api(`/me/messages/${original.id}/createReply`)
        .responseType(ResponseType.RAW)
        .post({ comment: 'Looking.' })) as Response;
      expect(created.status).toBe(201);
      const draft = (await created.json()) as { id: string; changeKey: string; body: { content: string } };
      expect(draft).toMatchObject({
        isDraft: true,
        subject: 'RE: Invoice 42',
        conversationId: original.conversationId,
        parentFolderId: mailbox.folderId('drafts'),
        toRecipients: [{ emailAddress: { name: 'Bob B.', address: 'bob@x.test' } }],
        from: { emailAddress: { address: UPN } },
        body: { contentType: 'html' },
      });
      expect(draft.body.content).toContain('Looking.');
      expect(draft.body.content).toContain('Where is it?');
      expect(mailbox.listDrafts().map((m) => m.id)).toEqual([draft.id]);

      const updated = await client.api(`/me/messages/${draft.id}`).patch({ body: { contentType: 'text', content: 'It is paid.' } });
      expect(updated.changeKey).not.toBe(draft.changeKey);
      expect(mailbox.listDrafts()[0].body).toEqual({ contentType: 'text', content: 'It is paid.' });
      const draftMime = (await client.api(`/me/messages/${draft.id}/$value`).responseType(ResponseType.ARRAYBUFFER).get()) as ArrayBuffer;
      const mime = await simpleParser(Buffer.from(draftMime));
      expect(mime).toMatchObject({ subject: 'RE: Invoice 42', inReplyTo: '<q@x.test>', references: ['<older@x.test>', '<q@x.test>'] });
      expect(mime.text?.trim()).toBe('It is paid.');
      expect(mime.to).toMatchObject({ value: [{ address: 'bob@x.test' }] });

      const listed = await client.api('/me/mailFolders/drafts/messages').select('subject').get();
      expect(listed.value.map((m: { id: string }) => m.id)).toEqual([draft.id]);

      expect(await caught(client.api(`/me/messages/${original.id}`).patch({ body: { contentType: 'text', content: 'x' } }))).toMatchObject({
        statusCode: 400,
        code: 'ErrorInvalidPropertySet',
      });
      expect(await client.api(`/me/messages/${original.id}`).patch({ isRead: true })).toMatchObject({ isRead: true });

      expect(await client.api(`/me/messages/${draft.id}`).responseType(ResponseType.RAW).delete()).toMatchObject({ status: 204 });
      expect(mailbox.listDrafts()).toEqual([]);
    });
  });

  describe('auth, throttling and failures as the SDK sees them', () => {
    it('a revoked or unknown token is 401 InvalidAuthenticationToken; an issued one works; /users/{other} is 403', async () => {
      mailbox.addMessage(fixtures[0].raw);
      server.issueToken(UPN, 'second-token');
      server.revokeToken(TOKEN);
      const err = await caught(client.api('/me/mailFolders/inbox/messages').get());
      expect(err).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' });
      expect(server.requests.filter((r) => r.status === 401)).toHaveLength(1); // 401 is not retried

      const second = defaultClient(server, 'second-token');
      expect((await second.api('/me/mailFolders/inbox/messages').get()).value).toHaveLength(1);
      expect((await second.api(`/users/${UPN}/mailFolders/inbox/messages`).get()).value).toHaveLength(1);
      server.addMailbox('bob@contoso.test');
      expect(await caught(second.api('/users/bob@contoso.test/messages').get())).toMatchObject({ statusCode: 403, code: 'ErrorAccessDenied' });
      expect(server.requests.at(-1)).toMatchObject({ method: 'GET', mailbox: UPN, status: 403 });
    });

    it('the default chain retries 429 up to 3 times honouring Retry-After, then throws a GraphError with the headers', async () => {
      server.throttle(UPN, { count: 2, retryAfterSeconds: 0 });
      expect((await client.api('/me/messages').get()).value).toEqual([]);
      expect(server.requests.map((r) => [r.status, r.headers['retry-attempt']])).toEqual([
        [429, undefined],
        [429, '1'],
        [200, '2'],
      ]);

      server.throttle(UPN, { count: 10, retryAfterSeconds: 0 });
      const err = await caught(client.api('/me/messages').get());
      expect(server.requests.slice(3).map((r) => r.status)).toEqual([429, 429, 429, 429]); // 1 + 3 retries
      expect(err).toMatchObject({ statusCode: 429, code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
      expect((err as GraphError & { headers: Headers }).headers.get('retry-after')).toBe('0');
    });

    it('the default chain retries 503 and 504 but not 500; a chain without RetryHandler makes exactly one request', async () => {
      server.failNext(UPN, { count: 1, status: 503, retryAfterSeconds: 0 });
      server.failNext(UPN, { count: 1, status: 504, retryAfterSeconds: 0 });
      await client.api('/me/messages').get();
      expect(server.requests.map((r) => r.status)).toEqual([503, 504, 200]);

      server.failNext(UPN, { count: 1, status: 500 });
      expect(await caught(client.api('/me/messages').get())).toMatchObject({ statusCode: 500, code: 'InternalServerError' });
      expect(server.requests).toHaveLength(4);

      server.throttle(UPN, { count: 2, retryAfterSeconds: 7 });
      const throttled = await caught(noRetryClient(server).api('/me/messages').get());
      expect(throttled).toMatchObject({ statusCode: 429, code: 'ApplicationThrottled' });
      expect((throttled as GraphError & { headers: Headers }).headers.get('retry-after')).toBe('7');
      expect(server.requests).toHaveLength(5);

      // Or keep the default chain and switch retries off per request.
      const perRequest = await caught(client.api('/me/messages').middlewareOptions([new RetryHandlerOptions(0, 0)]).get());
      expect(perRequest.statusCode).toBe(429);
      expect(server.requests).toHaveLength(6);

      server.failNext(UPN, { count: 1, pathPattern: /\$value$/ });
      expect((await noRetryClient(server).api('/me/messages').get()).value).toEqual([]); // pattern did not match
      expect(server.requests.at(-1)?.status).toBe(200);
    });

    it('applies latency to every answer', async () => {
      server.setLatencyMs(150);
      const started = Date.now();
      await client.api('/me/messages').get();
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe('what the SDK needs to reach it', () => {
    it('sends the token only to https:// hosts in customHosts, compared without the port', async () => {
      const withPort = Client.init({
        baseUrl: server.origin,
        customHosts: new Set([new URL(server.origin).host]), // '127.0.0.1:PORT' never matches
        fetchOptions: { dispatcher: server.dispatcher },
        authProvider: (done) => done(null, TOKEN),
      });
      expect(await caught(withPort.api('/me/messages').get())).toMatchObject({ statusCode: 401, message: 'Access token is empty.' });

      const withoutHosts = Client.init({
        baseUrl: server.origin,
        fetchOptions: { dispatcher: server.dispatcher },
        authProvider: (done) => done(null, TOKEN),
      });
      expect(await caught(withoutHosts.api('/me/messages').get())).toMatchObject({ statusCode: 401 });

      // A customHosts entry with a '/' throws GraphClientError, on the first request, not at init.
      const slashHost = Client.init({
        baseUrl: server.origin,
        customHosts: new Set([server.origin]),
        fetchOptions: { dispatcher: server.dispatcher },
        authProvider: (done) => done(null, TOKEN),
      });
      await expect(slashHost.api('/me/messages').get()).rejects.toBeInstanceOf(GraphClientError);

      const versionTwice = Client.init({
        baseUrl: `${server.origin}/v1.0`,
        customHosts: new Set(['127.0.0.1']),
        fetchOptions: { dispatcher: server.dispatcher },
        authProvider: (done) => done(null, TOKEN),
      });
      expect(await caught(versionTwice.api('/me/messages').get())).toMatchObject({ statusCode: 400 });
      expect(server.requests.at(-1)?.path).toBe('/v1.0/v1.0/me/messages');
    });

    it('over plain http (the default) a chain that sets the token itself works, with links cut to their path', async () => {
      const plain = await startFakeGraphMailServer();
      try {
        expect(plain.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const box = plain.addMailbox(UPN);
        box.addMessage(fixtures[0].raw, { receivedDateTime: '2024-01-01T00:00:00Z' });
        for (const f of fixtures.slice(1, 13)) box.addMessage(f.raw, { receivedDateTime: '2024-06-01T00:00:00.000Z' });
        const workerStyle = Client.initWithMiddleware({ baseUrl: plain.origin, middleware: new HTTPMessageHandler() });
        const get = (link: string) =>
          workerStyle.api(link.replace(`${plain.origin}/v1.0`, '')).header('Authorization', `Bearer ${TOKEN}`).headers(PAGE_OF_10).get() as Promise<DeltaPage>;

        expect(await get('/me?$select=mail,userPrincipalName')).toMatchObject({ mail: UPN, userPrincipalName: UPN });
        // URLSearchParams encodes `$` as %24 and spaces as `+`; Graph decodes both.
        const query = new URLSearchParams({ $select: 'id,changeKey', $filter: 'receivedDateTime ge 2024-03-01T00:00:00Z' });
        const pages = [await get(`/me/mailFolders/inbox/messages/delta?${query}`)];
        while (pages[pages.length - 1]['@odata.nextLink']) pages.push(await get(pages[pages.length - 1]['@odata.nextLink'] as string));
        expect(pages.map((p) => p.value.length)).toEqual([10, 2]); // the January message is filtered out
        expect(box.listMessages()[1].receivedDateTime).toBe('2024-06-01T00:00:00Z');

        box.addMessage(fixtures[20].raw, { receivedDateTime: '2023-01-01T00:00:00Z' }); // filter kept in the token
        const later = box.addMessage(fixtures[21].raw).id;
        expect((await get(pages[1]['@odata.deltaLink'] as string)).value.map((i) => i.id)).toEqual([later]);
      } finally {
        await plain.close();
      }
    });

    it('over plain http the SDK strips the token and mangles absolute links', async () => {
      const plain = await startFakeGraphMailServer({ protocol: 'http' });
      try {
        plain.addMailbox(UPN);
        const httpClient = Client.init({ baseUrl: plain.origin, customHosts: new Set(['127.0.0.1']), authProvider: (done) => done(null, TOKEN) });
        expect(await caught(httpClient.api('/me/messages').get())).toMatchObject({ statusCode: 401, message: 'Access token is empty.' });
        expect(plain.requests[0].headers.authorization).toBeUndefined();

        await caught(httpClient.api(`${plain.origin}/v1.0/me/messages`).get());
        expect(plain.requests[1].path).toBe(`/v1.0/http://${new URL(plain.origin).host}/v1.0/me/messages`);
      } finally {
        await plain.close();
      }
    });
  });

  // How fast adding and paging are at this size is measured by `npm run bench:fakes`; this
  // holds what must be true however slow the machine.
  it('holds 100 000 messages in a folder and pages through them by delta, 100 at a time, without repeats', async () => {
    for (let i = 0; i < 100_000; i++) mailbox.addMessage(fixtures[i % fixtures.length].raw);

    const select = '/me/mailFolders/inbox/messages/delta?$select=subject';
    const first = (await client.api(select).headers({ Prefer: 'odata.maxpagesize=100' }).get()) as DeltaPage;
    expect(first.value).toHaveLength(100);
    const second = (await client.api(first['@odata.nextLink'] as string).headers({ Prefer: 'odata.maxpagesize=100' }).get()) as DeltaPage;
    expect(second.value).toHaveLength(100);
    expect(new Set([...first.value, ...second.value].map((m) => m.id)).size).toBe(200);
    expect(second['@odata.nextLink']).toEqual(expect.any(String));
  }, 180_000);
});
