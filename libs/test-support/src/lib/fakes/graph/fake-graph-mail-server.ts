import { Agent } from 'undici';
import { startTestServer, type TestServer } from '../../start-test-server';
import { FaultQueue } from '../shared/fault-queue';
import { FakeGraphDeltaTokens } from './fake-graph-delta-tokens';
import type { FakeGraphMailbox } from './fake-graph-mailbox';
import { FakeGraphMailboxStore } from './fake-graph-mailbox-store';
import {
  createGraphRequestHandler,
  type FakeGraphFault,
  type FakeGraphRequestRecord,
  type FakeGraphServerState,
} from './fake-graph-request-handler';
import { createSelfSignedCertificate } from './fake-graph-self-signed-certificate';
import { startTlsTestServer } from './fake-graph-tls-server';

export type { FakeGraphAddMessageOptions, FakeGraphMailbox } from './fake-graph-mailbox';
export type { FakeGraphItemBody, FakeGraphMessage, FakeGraphRecipient } from './fake-graph-message';
export type { FakeGraphRequestRecord } from './fake-graph-request-handler';

/** Options of {@link startFakeGraphMailServer}. */
export interface FakeGraphMailServerOptions {
  /** Delay before each answer, ms; default 0. */
  readonly latencyMs?: number;
  /**
   * Default `http`. Choose `https` (a self-signed certificate made at start-up, trusted through
   * `dispatcher`) for clients that use the SDK's AuthenticationHandler or follow absolute links
   * with `client.api(link)`/PageIterator: Graph SDK 3.0.7 does neither for an `http://` host (see
   * {@link FakeGraphMailServer}).
   */
  readonly protocol?: 'https' | 'http';
}

/** Options of {@link FakeGraphMailServer.throttle}. */
export interface FakeGraphThrottleOptions {
  /** How many matching requests answer 429. */
  readonly count: number;
  /** `Retry-After` header, seconds; default 1. */
  readonly retryAfterSeconds?: number;
  /** Only requests whose target (path and query string) matches; default all. */
  readonly pathPattern?: RegExp;
}

/** Options of {@link FakeGraphMailServer.failNext}. */
export interface FakeGraphFailNextOptions {
  /** How many matching requests fail. */
  readonly count: number;
  /** HTTP status; default 503. Codes: 500 InternalServerError, 502 BadGateway, 503 ServiceUnavailable, 504 GatewayTimeout. */
  readonly status?: number;
  /** `Retry-After` header, seconds; default none. */
  readonly retryAfterSeconds?: number;
  /** Only requests whose target (path and query string) matches; default all. */
  readonly pathPattern?: RegExp;
}

/**
 * A fake Microsoft Graph v1.0 mail service on a loopback port, speaking Graph's wire format
 * closely enough for `@microsoft/microsoft-graph-client` 3.0.7 to work against it unchanged.
 *
 * Two ways to point the SDK at it:
 *
 * 1. Over `http` (the default), with a chain that sets the token itself, as the email worker does.
 *    Absolute `@odata.nextLink`/`deltaLink` URLs must be cut to their path after `/v1.0` first
 *    (`client.api()` only parses absolute `https://` URLs):
 * ```ts
 * const client = Client.initWithMiddleware({ baseUrl: server.origin, middleware: new HTTPMessageHandler() });
 * await client.api('/me/mailFolders/inbox/messages/delta').header('Authorization', `Bearer ${token}`).get();
 * ```
 * 2. Over `https` (`startFakeGraphMailServer({ protocol: 'https' })`), for the SDK's own
 *    authentication and link following (Client.init, AuthenticationHandler, PageIterator):
 * ```ts
 * const client = Client.init({
 *   baseUrl: server.origin,                          // NOT origin + '/v1.0': the SDK appends the version
 *   customHosts: new Set(['127.0.0.1']),             // a Set; host without the port
 *   fetchOptions: { dispatcher: server.dispatcher }, // trusts the fake's self-signed certificate
 *   authProvider: (done) => done(null, token),
 * });
 * ```
 * Why: the SDK's AuthenticationHandler attaches the token only to URLs that start with
 * `https://` and whose host (port stripped) is a Graph host or in `customHosts` (otherwise it
 * deletes the Authorization header), and `client.api(url)` only recognises absolute URLs that
 * start with `https://` — an `http://` link gets glued onto baseUrl.
 *
 * Endpoints (under `/v1.0/me` or `/v1.0/users/{upn}` of the token's own mailbox): `/me` (GET),
 * `mailFolders/{idOrWellKnownName}` (GET), `.../messages` (GET, `$top`/`$skip`/`$select`),
 * `.../messages/delta` (GET, `$select`, `$filter=receivedDateTime ge <time>`,
 * `Prefer: odata.maxpagesize=N`, default 10), `messages` (GET, `$filter=conversationId eq '...'`),
 * `messages/{id}` (GET, PATCH, DELETE), `messages/{id}/$value` (GET, `text/plain` MIME bytes),
 * `messages/{id}/createReply` (POST, 201). Message ids are immutable (as with Graph's
 * `Prefer: IdType="ImmutableId"`): a moved message keeps its id.
 * Errors are Graph's `{ error: { code, message, innerError } }`: 401 InvalidAuthenticationToken,
 * 404 ErrorItemNotFound, 410 SyncStateNotFound (expired/unknown delta or skip token), 429
 * ApplicationThrottled with Retry-After, 5xx from `failNext`.
 */
export interface FakeGraphMailServer {
  /** `http://127.0.0.1:PORT` (or `https://`); the v1.0 API is at `origin + '/v1.0'`. */
  readonly origin: string;
  /**
   * PEM of the self-signed certificate (made at start, valid 7 days, SAN 127.0.0.1/localhost) the
   * server presents; `undefined` over http. A worker in another process trusts it through a file
   * named in `NODE_EXTRA_CA_CERTS` in that process's environment (read at its start-up).
   */
  readonly caCertificatePem: string | undefined;
  /**
   * An undici Agent (trusting `caCertificatePem` over https) for `fetchOptions.dispatcher`; closed
   * by `close()`. Typed as the global fetch's dispatcher (undici-types), which is what the SDK's
   * `FetchOptions` extends; the npm undici 7 `Agent` type is not assignable to it, though it
   * works at run time with Node 20's fetch.
   */
  readonly dispatcher: FetchDispatcher;
  /** Adds an empty mailbox (inbox, sentitems, drafts, deleteditems) and its token, default `'token-' + upn`. */
  addMailbox(upn: string, options?: { token?: string }): FakeGraphMailbox;
  /** @throws Error when no such mailbox. */
  mailbox(upn: string): FakeGraphMailbox;
  /** Makes `token` another valid bearer token for the mailbox. */
  issueToken(upn: string, token: string): void;
  /** From now on `token` gets 401 InvalidAuthenticationToken ("Access token has expired or is not yet valid."). */
  revokeToken(token: string): void;
  /**
   * The next `count` matching authenticated requests of that mailbox get 429 with
   * `{ error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } }`
   * (what Outlook's per-mailbox limits answer) and `Retry-After`.
   */
  throttle(upn: string, options: FakeGraphThrottleOptions): void;
  /** The next `count` matching authenticated requests of that mailbox fail with a 5xx. */
  failNext(upn: string, options: FakeGraphFailNextOptions): void;
  /** Every delta and skip token issued so far for that mailbox stops working (410 SyncStateNotFound). */
  expireDeltaTokens(upn: string): void;
  /** Delay before each answer from now on, ms. */
  setLatencyMs(ms: number): void;
  /** Every request answered, in order (failures and retries included). */
  readonly requests: ReadonlyArray<FakeGraphRequestRecord>;
  /** Stops listening, cuts connections, closes `dispatcher`. Idempotent. */
  close(): Promise<void>;
}

/** The `dispatcher` of the global `fetch`'s RequestInit. */
export type FetchDispatcher = NonNullable<RequestInit['dispatcher']>;

const FAILURE_CODES: Readonly<Record<number, string>> = {
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/**
 * Starts a {@link FakeGraphMailServer} on 127.0.0.1 at a free port. Mailboxes are in memory;
 * a folder copes with 100 000 messages (delta pages cost O(page)).
 */
export async function startFakeGraphMailServer(options: FakeGraphMailServerOptions = {}): Promise<FakeGraphMailServer> {
  const closing = new AbortController();
  const state: FakeGraphServerState = {
    mailboxes: new Map(),
    accessTokens: new Map(),
    faults: new Map(),
    deltaTokens: new FakeGraphDeltaTokens(),
    requests: [],
    latencyMs: options.latencyMs ?? 0,
    origin: '',
    closing: closing.signal,
  };
  const handler = createGraphRequestHandler(state);
  let server: TestServer;
  let caCertificatePem: string | undefined;
  let dispatcher: Agent;
  if (options.protocol === 'https') {
    const certificate = createSelfSignedCertificate();
    caCertificatePem = certificate.certPem;
    server = await startTlsTestServer(handler, certificate);
    dispatcher = new Agent({ connect: { ca: caCertificatePem } });
  } else {
    server = await startTestServer(handler);
    dispatcher = new Agent();
  }
  state.origin = server.origin;

  const key = (upn: string): string => upn.toLowerCase();
  const requireMailbox = (upn: string): FakeGraphMailboxStore => {
    const mailbox = state.mailboxes.get(key(upn));
    if (!mailbox) throw new Error(`No mailbox ${upn} in the fake Graph server`);
    return mailbox;
  };
  const addFault = (upn: string, count: number, pathPattern: RegExp | undefined, fault: FakeGraphFault): void => {
    requireMailbox(upn);
    const faults = state.faults.get(key(upn)) ?? new FaultQueue<FakeGraphFault>();
    faults.add(count, { pathPattern }, () => fault);
    state.faults.set(key(upn), faults);
  };
  let closed: Promise<void> | undefined;

  return {
    origin: server.origin,
    caCertificatePem,
    dispatcher: dispatcher as unknown as FetchDispatcher,
    requests: state.requests,
    addMailbox(upn, mailboxOptions = {}) {
      if (state.mailboxes.has(key(upn))) throw new Error(`Mailbox ${upn} already exists`);
      const mailbox = new FakeGraphMailboxStore(upn);
      state.mailboxes.set(key(upn), mailbox);
      state.accessTokens.set(mailboxOptions.token ?? `token-${upn}`, key(upn));
      return mailbox;
    },
    mailbox: requireMailbox,
    issueToken(upn, token) {
      requireMailbox(upn);
      state.accessTokens.set(token, key(upn));
    },
    revokeToken(token) {
      state.accessTokens.delete(token);
    },
    throttle(upn, throttleOptions) {
      addFault(upn, throttleOptions.count, throttleOptions.pathPattern, {
        status: 429,
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
        retryAfterSeconds: throttleOptions.retryAfterSeconds ?? 1,
      });
    },
    failNext(upn, failOptions) {
      const status = failOptions.status ?? 503;
      if (status < 500 || status > 599) throw new Error(`failNext takes a 5xx status, got ${status}`);
      addFault(upn, failOptions.count, failOptions.pathPattern, {
        status,
        code: FAILURE_CODES[status] ?? 'UnknownError',
        message: status === 503 ? 'The service is currently unavailable. Please try again later.' : 'An internal server error occurred.',
        retryAfterSeconds: failOptions.retryAfterSeconds,
      });
    },
    expireDeltaTokens(upn) {
      requireMailbox(upn).deltaGeneration++;
    },
    setLatencyMs(ms) {
      state.latencyMs = ms;
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        try {
          await server.close();
        } finally {
          await dispatcher.close().catch(() => undefined);
        }
      })();
      return closed;
    },
  };
}
