import { startTestServer } from '../start-test-server';

/** One token request the fake token service received. */
export interface TokenRequest {
  readonly userId: string;
  readonly accountId: string;
  readonly provider: string;
  readonly forceRefresh: boolean;
}

/** A running fake of the web app's access-token endpoint. */
export interface FakeTokenService {
  /** The endpoint (`EMAIL_TOKEN_URL`). */
  readonly url: string;
  /** Every authorised request, in order. */
  readonly requests: readonly TokenRequest[];
  /**
   * Sets the tokens handed out for an account: the first for a normal request, and on each
   * `forceRefresh` the next one (the last repeats). No tokens → 404 (not connected).
   */
  setTokens(accountId: string, tokens: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * The token endpoint the email worker's HttpAccessTokenProvider calls: `POST` JSON
 * `{ userId, accountId, provider, forceRefresh }` with `Authorization: Bearer <secret>` →
 * `{ accessToken }` (no `expiresAt`, so the worker keeps a token until it is refused). A wrong
 * secret → 401; an account without tokens → 404.
 */
export async function startFakeTokenService(secret: string): Promise<FakeTokenService> {
  const tokens = new Map<string, { list: readonly string[]; refreshes: number }>();
  const requests: TokenRequest[] = [];
  const server = await startTestServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${secret}`) {
        res.writeHead(401).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as TokenRequest;
      requests.push({ userId: body.userId, accountId: body.accountId, provider: body.provider, forceRefresh: body.forceRefresh === true });
      const entry = tokens.get(body.accountId);
      if (!entry || entry.list.length === 0) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not connected' }));
        return;
      }
      if (body.forceRefresh) entry.refreshes += 1;
      const token = entry.list[Math.min(entry.refreshes, entry.list.length - 1)];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accessToken: token }));
    });
  });
  return {
    url: server.url('/internal/mail-tokens'),
    requests,
    setTokens: (accountId, list) => tokens.set(accountId, { list, refreshes: 0 }),
    close: () => server.close(),
  };
}
