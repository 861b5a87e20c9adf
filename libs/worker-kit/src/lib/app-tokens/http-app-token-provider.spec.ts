import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeTokenService, startTestServer, type TestServer } from '@jobs/test-support';
import { HttpAppTokenProvider } from './http-app-token-provider';
import { withTokenRefresh } from './with-token-refresh';

const SECRET = 'made-up-shared-secret';
const REF = { userId: 'user-1', accountId: 'acc-1', provider: 'meta' };

class NotConnected extends Error {}
class Refused extends Error {}

function provider(url: string, secret = SECRET): HttpAppTokenProvider {
  return new HttpAppTokenProvider({
    url,
    secret,
    secretVariable: 'ADS_TOKEN_SECRET',
    notConnected: (ref, status) => new NotConnected(`${ref.provider} ${ref.accountId} ${status}`),
  });
}

describe('HttpAppTokenProvider (loopback HTTP)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function answering(status: number, body: string): Promise<{ url: string; received: unknown[] }> {
    const received: unknown[] = [];
    server = await startTestServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    return { url: server.url('/tokens'), received };
  }

  it('caches a grant, keeps the extras in fields, and asks again on forceRefresh', async () => {
    const app = await startFakeTokenService(SECRET);
    try {
      app.setAdAccount('acc-1', { tokens: ['t1', 't2'], platformAccountId: 'act_1', loginCustomerId: '111' });
      const tokens = provider(app.url);
      const first = await tokens.getGrant(REF, { forceRefresh: false });
      expect(first).toEqual({ accessToken: 't1', expiresAtMs: Number.POSITIVE_INFINITY, fields: { accessToken: 't1', platformAccountId: 'act_1', loginCustomerId: '111' } });
      await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe('t1');
      await expect(tokens.getAccessToken(REF, { forceRefresh: true })).resolves.toBe('t2');
      expect(app.requests).toEqual([
        { ...REF, forceRefresh: false },
        { ...REF, forceRefresh: true },
      ]);
    } finally {
      await app.close();
    }
  });

  it('asks again once a grant is within the margin of its expiry', async () => {
    const soon = new Date(Date.now() + 30_000).toISOString();
    const { url, received } = await answering(200, JSON.stringify({ accessToken: 'tok', expiresAt: soon }));
    const tokens = provider(url);
    await tokens.getAccessToken(REF, { forceRefresh: false });
    await tokens.getAccessToken(REF, { forceRefresh: false });
    expect(received).toHaveLength(2);
  });

  it.each([404, 409])('throws the caller’s not-connected error on HTTP %i', async (status) => {
    const { url } = await answering(status, '{}');
    await expect(provider(url).getGrant(REF, { forceRefresh: false })).rejects.toEqual(new NotConnected(`meta acc-1 ${status}`));
  });

  it.each([
    [401, '{}', /check ADS_TOKEN_SECRET/],
    [502, '{}', /HTTP 502/],
    [200, '{"token":"x"}', /without a usable accessToken/],
    [200, 'nope', /not JSON/],
  ])('throws a plain Error on HTTP %i %s', async (status, body, message) => {
    const { url } = await answering(status, body);
    const failure = await provider(url).getGrant(REF, { forceRefresh: false }).catch((err: unknown) => err);
    expect((failure as Error).constructor).toBe(Error);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain(SECRET);
  });

  it('names only the origin when the endpoint does not answer', async () => {
    const { url } = await answering(200, '{}');
    await server?.close();
    server = undefined;
    await expect(provider(`${url}?secret-path`).getGrant(REF, { forceRefresh: false })).rejects.toThrow(new RegExp(`^The token service at ${new URL(url).origin} did not answer`));
  });
});

describe('withTokenRefresh', () => {
  it('asks for a fresh token once after a refusal, then throws refusedAgain', async () => {
    const asked: boolean[] = [];
    const options = {
      getToken: async (force: boolean) => {
        asked.push(force);
        return force ? 'fresh' : 'stale';
      },
      isRefusal: (err: unknown) => err instanceof Refused,
      refusedAgain: () => new NotConnected('gone'),
    };
    await expect(withTokenRefresh(options, async (t) => (t === 'fresh' ? 'ok' : Promise.reject(new Refused())))).resolves.toBe('ok');
    expect(asked).toEqual([false, true]);
    await expect(withTokenRefresh(options, () => Promise.reject(new Refused()))).rejects.toEqual(new NotConnected('gone'));
    await expect(withTokenRefresh(options, () => Promise.reject(new Error('other')))).rejects.toThrow('other');
  });
});
