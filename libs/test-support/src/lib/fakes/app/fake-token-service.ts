import { startTestServer } from '../../start-test-server';
import { bearerToken } from '../shared/bearer-token';
import { readRequestBody } from '../shared/read-request-body';

/** One token request the fake token service received. */
export interface TokenRequest {
  readonly userId: string;
  readonly accountId: string;
  readonly provider: string;
  readonly forceRefresh: boolean;
}

/** One connected mailbox, as the app lists it. */
export interface ListedMailbox {
  readonly accountId: string;
  /** `gmail` or `outlook` (any other string is passed through, as an app could). */
  readonly provider: string;
}

/**
 * A connected ad account, as the ads worker's token requests see it: `tokens` as in
 * `setTokens`; `platformAccountId` (the platform's id: Google customer id digits, Meta
 * `act_<digits>`) and `loginCustomerId` (a Google manager account) are sent with each token when
 * given.
 */
export interface FakeAdAccount {
  readonly tokens: readonly string[];
  readonly platformAccountId?: string;
  readonly loginCustomerId?: string;
  /** Sent as `expiresAt` when given (ISO-8601). */
  readonly expiresAt?: string;
}

/** A running fake of the web app's access-token endpoint. */
export interface FakeTokenService {
  /** The endpoint (`EMAIL_TOKEN_URL`, `ADS_TOKEN_URL`). */
  readonly url: string;
  /** Every authorised token request, in order. */
  readonly requests: readonly TokenRequest[];
  /** The `userId` of every authorised mailbox-list request, in order. */
  readonly mailboxListRequests: readonly string[];
  /**
   * Sets the tokens handed out for an account: the first for a normal request, and on each
   * `forceRefresh` the next one (the last repeats). No tokens → 404 (not connected).
   */
  setTokens(accountId: string, tokens: readonly string[]): void;
  /**
   * Connects an ad account under the app's own `accountId` (e.g. `acc_456`): its tokens (as
   * setTokens) and the extras the answer carries (`platformAccountId`, `loginCustomerId`).
   */
  setAdAccount(accountId: string, account: FakeAdAccount): void;
  /** Lists `mailbox` among the user's connected mailboxes (tokens are set apart, by setTokens). */
  connectMailbox(userId: string, mailbox: ListedMailbox): void;
  close(): Promise<void>;
}

/**
 * The token endpoint the email and ads workers call, with its two requests (both `POST` JSON with
 * `Authorization: Bearer <secret>`; a wrong secret → 401):
 * - access token (HttpAccessTokenProvider): `{ userId, accountId, provider, forceRefresh }` →
 *   `{ accessToken }` (no `expiresAt`, so the worker keeps a token until it is refused), plus
 *   `platformAccountId` / `loginCustomerId` / `expiresAt` for an ad account set by setAdAccount;
 *   an account without tokens → 404;
 * - mailbox list (HttpMailboxDirectory): `{ purpose: 'list-mailboxes', userId }` →
 *   `{ mailboxes: [{ accountId, provider }] }`, empty for a user with none; no `userId` → 400.
 */
export async function startFakeTokenService(secret: string): Promise<FakeTokenService> {
  const tokens = new Map<string, { list: readonly string[]; refreshes: number; extras?: Omit<FakeAdAccount, 'tokens'> }>();
  const mailboxes = new Map<string, ListedMailbox[]>();
  const requests: TokenRequest[] = [];
  const mailboxListRequests: string[] = [];
  const server = await startTestServer((req, res) => {
    void readRequestBody(req).then((raw) => {
      if (bearerToken(req.headers.authorization) !== secret) {
        res.writeHead(401).end();
        return;
      }
      const body = JSON.parse(raw.toString('utf8') || '{}') as Partial<TokenRequest> & { purpose?: unknown };
      if (body.purpose === 'list-mailboxes') {
        if (typeof body.userId !== 'string' || body.userId === '') {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'userId is required' }));
          return;
        }
        mailboxListRequests.push(body.userId);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ mailboxes: mailboxes.get(body.userId) ?? [] }));
        return;
      }
      requests.push({ userId: String(body.userId), accountId: String(body.accountId), provider: String(body.provider), forceRefresh: body.forceRefresh === true });
      const entry = tokens.get(String(body.accountId));
      if (!entry || entry.list.length === 0) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not connected' }));
        return;
      }
      if (body.forceRefresh) entry.refreshes += 1;
      const token = entry.list[Math.min(entry.refreshes, entry.list.length - 1)];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accessToken: token, ...entry.extras }));
    });
  });
  return {
    url: server.url('/internal/mail-tokens'),
    requests,
    mailboxListRequests,
    setTokens: (accountId, list) => tokens.set(accountId, { list, refreshes: 0 }),
    setAdAccount: (accountId, { tokens: list, ...extras }) => tokens.set(accountId, { list, refreshes: 0, extras }),
    connectMailbox: (userId, mailbox) => mailboxes.set(userId, [...(mailboxes.get(userId) ?? []), mailbox]),
    close: () => server.close(),
  };
}
