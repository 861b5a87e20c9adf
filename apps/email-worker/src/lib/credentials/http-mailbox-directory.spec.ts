import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeTokenService, startTestServer, type TestServer } from '@jobs/test-support';
import { HttpMailboxDirectory } from './http-mailbox-directory';

const SECRET = 'directory-secret';

describe('HttpMailboxDirectory (loopback HTTP)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server answering every request with `status` and `body`, recording the JSON bodies it got. */
  async function answering(status: number, body: string): Promise<{ directory: HttpMailboxDirectory; received: unknown[] }> {
    const received: unknown[] = [];
    server = await startTestServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    return { directory: new HttpMailboxDirectory({ url: server.url('/internal/mail-tokens'), secret: SECRET }), received };
  }

  it('asks with { purpose: "list-mailboxes", userId } and the shared secret; keeps the mailboxes of providers it serves', async () => {
    const answer = {
      mailboxes: [
        { accountId: 'acc-1', provider: 'gmail', address: 'a@example.com' },
        { accountId: 'acc-2', provider: 'yahoo' },
        { accountId: 'acc-3', provider: 'outlook' },
      ],
      extra: true,
    };
    const { directory, received } = await answering(200, JSON.stringify(answer));
    await expect(directory.listMailboxes('user-1')).resolves.toEqual([
      { userId: 'user-1', accountId: 'acc-1', provider: 'gmail' },
      { userId: 'user-1', accountId: 'acc-3', provider: 'outlook' },
    ]);
    expect(received).toEqual([{ authorization: `Bearer ${SECRET}`, body: { purpose: 'list-mailboxes', userId: 'user-1' } }]);
  });

  it('reads 404 as "no mailboxes"', async () => {
    const { directory } = await answering(404, '{"error":"unknown user"}');
    await expect(directory.listMailboxes('user-1')).resolves.toEqual([]);
  });

  it.each([
    ['not JSON', 200, '<html>oops</html>', /not JSON/],
    ['another shape', 200, '{"accounts":[]}', /without a usable \{ mailboxes/],
    ['an entry without accountId', 200, '{"mailboxes":[{"provider":"gmail"}]}', /without a usable \{ mailboxes/],
    ['a server error', 502, '{}', /HTTP 502/],
    ['a refused secret', 401, '{}', /check EMAIL_TOKEN_SECRET/],
  ])('throws a plain (retried) Error for %s', async (_what, status, body, message) => {
    const { directory } = await answering(status, body);
    const failure = await directory.listMailboxes('user-1').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).constructor).toBe(Error);
    expect((failure as Error).message).toMatch(message);
  });

  it('speaks the same protocol as the fake app the end-to-end tests use', async () => {
    const app = await startFakeTokenService(SECRET);
    try {
      app.connectMailbox('user-1', { accountId: 'acc-1', provider: 'outlook' });
      const directory = new HttpMailboxDirectory({ url: app.url, secret: SECRET });
      await expect(directory.listMailboxes('user-1')).resolves.toEqual([{ userId: 'user-1', accountId: 'acc-1', provider: 'outlook' }]);
      await expect(directory.listMailboxes('user-2')).resolves.toEqual([]);
      expect(app.mailboxListRequests).toEqual(['user-1', 'user-2']);
      expect(app.requests).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
