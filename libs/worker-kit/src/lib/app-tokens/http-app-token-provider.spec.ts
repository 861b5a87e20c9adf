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

describe('HttpAppTokenProvider: concurrent requests and the cache bounds', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** An endpoint that holds every answer until `release()`; each request gets token `t<n>`. */
  async function holding(status = 200): Promise<{ url: string; received: { accountId: string; forceRefresh: boolean }[]; release: () => void }> {
    const received: { accountId: string; forceRefresh: boolean }[] = [];
    const held: (() => void)[] = [];
    let released = false;
    server = await startTestServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { accountId: string; forceRefresh: boolean });
        const n = received.length;
        const answer = () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ accessToken: `t${n}` }));
        if (released) answer();
        else held.push(answer);
      });
    });
    return {
      url: server.url('/tokens'),
      received,
      release: () => {
        released = true;
        for (const answer of held.splice(0)) answer();
      },
    };
  }

  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(condition()).toBe(true);
  };

  it('sends one request for concurrent asks of the same grant, one per grant otherwise', async () => {
    const app = await holding();
    const tokens = provider(app.url);
    const other = { ...REF, accountId: 'acc-2' };
    const asks = [tokens.getAccessToken(REF, { forceRefresh: false }), tokens.getAccessToken(REF, { forceRefresh: false }), tokens.getAccessToken(other, { forceRefresh: false })];
    await until(() => app.received.length === 2);
    app.release();
    const answers = await Promise.all(asks);
    expect(answers[0]).toBe(answers[1]);
    expect(answers[2]).not.toBe(answers[0]);
    expect(app.received.map((r) => r.accountId).sort()).toEqual(['acc-1', 'acc-2']);
    // Cached afterwards.
    await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe(answers[0]);
    expect(app.received).toHaveLength(2);
  });

  it('a forced refresh does not take the answer of a request started before it; forced ones share, and the forced grant is cached', async () => {
    const app = await holding();
    const tokens = provider(app.url);
    const plain = tokens.getAccessToken(REF, { forceRefresh: false });
    await until(() => app.received.length === 1);
    const forced = [tokens.getAccessToken(REF, { forceRefresh: true }), tokens.getAccessToken(REF, { forceRefresh: true })];
    const later = tokens.getAccessToken(REF, { forceRefresh: false }); // merges with the forced one
    await until(() => app.received.length === 2);
    app.release();
    expect(await plain).toBe('t1');
    expect(await Promise.all([...forced, later])).toEqual(['t2', 't2', 't2']);
    expect(app.received.map((r) => r.forceRefresh)).toEqual([false, true]);
    await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe('t2');
  });

  it('a caller whose signal aborts stops waiting; the others still get the grant from the one request', async () => {
    const app = await holding();
    const tokens = provider(app.url);
    const controller = new AbortController();
    const aborted = tokens.getAccessToken(REF, { forceRefresh: false, signal: controller.signal });
    const waiting = tokens.getAccessToken(REF, { forceRefresh: false });
    await until(() => app.received.length === 1);
    controller.abort(new Error('job cancelled'));
    await expect(aborted).rejects.toThrow('job cancelled');
    app.release();
    await expect(waiting).resolves.toBe('t1');
    expect(app.received).toHaveLength(1);
    await expect(tokens.getAccessToken(REF, { forceRefresh: false, signal: controller.signal })).rejects.toThrow('job cancelled');
  });

  it('shares a failure with every waiter, then asks again on the next call', async () => {
    const app = await holding(503);
    const tokens = provider(app.url);
    const asks = [tokens.getGrant(REF, { forceRefresh: false }), tokens.getGrant(REF, { forceRefresh: false })].map((p) => p.catch((err: unknown) => err));
    await until(() => app.received.length === 1);
    app.release();
    for (const failure of await Promise.all(asks)) expect((failure as Error).message).toMatch(/HTTP 503/);
    await expect(tokens.getGrant(REF, { forceRefresh: false })).rejects.toThrow(/HTTP 503/);
    expect(app.received).toHaveLength(2);
  });

  it('asks again for a grant without expiresAt once the max age has passed, and keeps at most maxEntries', async () => {
    const app = await holding();
    app.release();
    let now = 0;
    const tokens = new HttpAppTokenProvider({
      url: app.url,
      secret: SECRET,
      secretVariable: 'ADS_TOKEN_SECRET',
      notConnected: () => new NotConnected('x'),
      cache: { maxAgeWithoutExpiryMs: 1000, maxEntries: 1, now: () => now },
    });
    await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe('t1');
    now = 999;
    await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe('t1');
    now = 1000;
    await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe('t2');
    await expect(tokens.getAccessToken({ ...REF, accountId: 'acc-2' }, { forceRefresh: false })).resolves.toBe('t3');
    await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe('t4'); // forgotten: one entry only
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
