import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTestServer } from '../../start-test-server';
import { bearerToken } from '../shared/bearer-token';
import { FaultQueue } from '../shared/fault-queue';
import {
  delegationDenied,
  GmailApiError,
  injectedFailure,
  invalidArgument,
  notFound,
  rateLimited,
  unauthenticated,
} from './fake-gmail-api-error';
import type { RecordedRequest } from '../shared/recorded-request';
import { createGmailIdSource } from './fake-gmail-ids';
import { GmailMailboxState, type FakeGmailMailbox } from './fake-gmail-mailbox';
import { routeGmailRequest, type GmailRouteResponse } from './fake-gmail-routes';

export type { AddFakeGmailMessageOptions, FakeGmailMailbox } from './fake-gmail-mailbox';
export type { FakeGmailMessage } from './fake-gmail-message';

/** One request the fake Gmail server received, as logged in {@link FakeGmailServer.requests}. */
export interface FakeGmailRequest extends RecordedRequest {
  /** Query parameters: a string, or an array when the parameter repeats (`historyTypes`). */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** The mailbox the bearer token resolved to; absent when authentication failed or was not reached. */
  readonly mailbox?: string;
}

/** Options of {@link FakeGmailServer.addMailbox}. */
export interface AddFakeGmailMailboxOptions {
  /** The mailbox's first access token; default `'token-' + email`. */
  readonly token?: string;
  /** The mailbox's starting history id; default 1000. */
  readonly historyId?: number;
}

/** Options of {@link FakeGmailServer.throttle}. */
export interface FakeGmailThrottleOptions {
  /** How many requests are refused, >= 1. */
  readonly count: number;
  /** 429 `rateLimitExceeded` (default) or 403 `userRateLimitExceeded`. */
  readonly status?: 429 | 403;
  /** Sent as the `Retry-After` header (seconds) when given. */
  readonly retryAfterSeconds?: number;
  /** Only requests whose path (without query, e.g. `/gmail/v1/users/me/history`) matches count. */
  readonly pathPattern?: RegExp;
}

/** Options of {@link FakeGmailServer.failNext}. */
export interface FakeGmailFailOptions {
  /** How many requests fail, >= 1. */
  readonly count: number;
  /** HTTP status; default 503 (`UNAVAILABLE`); 500 answers `INTERNAL` / `backendError`. */
  readonly status?: number;
  /** Only requests whose path (without query) matches count. */
  readonly pathPattern?: RegExp;
}

/** A fake Gmail API v1 server on loopback, driven over HTTP by `@googleapis/gmail` and from tests by these methods. */
export interface FakeGmailServer {
  /** `http://127.0.0.1:PORT`, no trailing slash; pass `origin + '/'` as the client's `rootUrl`. */
  readonly origin: string;
  /** Adds a mailbox (address compared case-insensitively). @throws Error when it or its token exists. */
  addMailbox(email: string, options?: AddFakeGmailMailboxOptions): FakeGmailMailbox;
  /** The mailbox of `email`. @throws Error when there is none. */
  mailbox(email: string): FakeGmailMailbox;
  /** Makes `token` another valid bearer token of the mailbox. */
  issueToken(email: string, token: string): void;
  /** Later requests with `token` answer 401. */
  revokeToken(token: string): void;
  /**
   * The next `count` requests for that mailbox (any endpoint, or only paths matching
   * `pathPattern`) answer 429 `RESOURCE_EXHAUSTED` / `rateLimitExceeded` (default) or 403
   * `PERMISSION_DENIED` / `userRateLimitExceeded`, with `Retry-After: retryAfterSeconds` when given.
   */
  throttle(email: string, options: FakeGmailThrottleOptions): void;
  /** The next `count` requests for that mailbox (optionally only matching `pathPattern`) fail with `status` (default 503). */
  failNext(email: string, options: FakeGmailFailOptions): void;
  /** Forgets history up to and including the mailbox's current historyId: any older startHistoryId now gets 404. */
  expireHistory(email: string): void;
  /** Delays every later response by `ms` milliseconds (default 0). */
  setLatencyMs(ms: number): void;
  /** Every request in arrival order; see {@link FakeGmailRequest}. */
  readonly requests: ReadonlyArray<FakeGmailRequest>;
  /** Stops the server and cuts open connections; idempotent. */
  close(): Promise<void>;
}

/** Options of {@link startFakeGmailServer}. */
export interface StartFakeGmailServerOptions {
  /** Delay before every response, in ms; default 0. */
  readonly latencyMs?: number;
}

type MutableRequest = { -readonly [K in keyof FakeGmailRequest]: FakeGmailRequest[K] };

/** Gmail refuses messages over 35 MB; a body past this is cut off with 413. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;
const USERS_PATH = /^\/gmail\/v1\/users\/([^/]+)(?:\/(.*))?$/;

const queryRecord = (params: URLSearchParams): Record<string, string | string[]> => {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0] : values;
  }
  return record;
};

const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? resolve(undefined) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidArgument('Invalid path');
  }
};

const assertCount = (count: number): void => {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
};

/**
 * Starts a fake Gmail API v1 server on 127.0.0.1 at a free port, speaking Gmail's JSON wire
 * format closely enough for the official `@googleapis/gmail` client (`fake-gmail-server.spec.ts`
 * pins what the client sees: error shapes, its own retries).
 *
 * Model: mailboxes by address; bearer tokens map to one mailbox (`users/me` or the own address;
 * another address → 403). Each change (message added or deleted, labels added or removed) gets
 * the next history id and one history record. Listing is newest `internalDate` first and costs
 * O(log n + page) per request, so 100 000 messages per mailbox are fine.
 *
 * @example
 * const server = await startFakeGmailServer();
 * server.addMailbox('me@example.com'); // token 'token-me@example.com'
 * const oauth2 = new auth.OAuth2(); // `auth` from '@googleapis/gmail'
 * oauth2.setCredentials({ access_token: 'token-me@example.com' });
 * // Under jest, pass Node's fetch: gaxios would otherwise import node-fetch (ESM) dynamically, which jest refuses.
 * const client = gmail({ version: 'v1', rootUrl: `${server.origin}/`, auth: oauth2, fetchImplementation: fetch });
 */
export async function startFakeGmailServer(options: StartFakeGmailServerOptions = {}): Promise<FakeGmailServer> {
  const ids = createGmailIdSource();
  const mailboxes = new Map<string, GmailMailboxState>();
  const tokens = new Map<string, string>();
  const faults = new Map<string, FaultQueue<GmailApiError>>();
  const requests: MutableRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = 0;

  const setLatencyMs = (ms: number): void => {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`latency must be a non-negative number of ms, got ${ms}`);
    latencyMs = ms;
  };
  setLatencyMs(options.latencyMs ?? 0);

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const requireMailbox = (email: string): GmailMailboxState => {
    const mailbox = mailboxes.get(email.toLowerCase());
    if (!mailbox) throw new Error(`No fake Gmail mailbox ${email}`);
    return mailbox;
  };

  const faultsOf = (email: string): FaultQueue<GmailApiError> => {
    const key = requireMailbox(email).email;
    const queue = faults.get(key) ?? new FaultQueue<GmailApiError>();
    faults.set(key, queue);
    return queue;
  };

  const dispatch = (req: IncomingMessage, entry: MutableRequest, query: URLSearchParams, body: Buffer | undefined): GmailRouteResponse => {
    const match = USERS_PATH.exec(entry.path);
    if (!match) throw notFound();
    const token = bearerToken(req.headers.authorization);
    const email = token === undefined ? undefined : tokens.get(token);
    const mailbox = email === undefined ? undefined : mailboxes.get(email);
    if (!mailbox) throw unauthenticated();
    entry.mailbox = mailbox.email;
    const userId = decodeSegment(match[1]);
    if (userId !== 'me' && userId.toLowerCase() !== mailbox.email) throw delegationDenied(userId);
    const fault = faults.get(mailbox.email)?.take(entry.method, entry.path);
    if (fault) throw fault;
    if (body === undefined) throw new GmailApiError(413, 'OUT_OF_RANGE', 'uploadTooLarge', 'Request too large');
    let json: unknown;
    if (body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw invalidArgument('Invalid JSON payload received.');
      }
    }
    const resource = (match[2] ?? '').split('/').map(decodeSegment);
    return routeGmailRequest(mailbox, { method: entry.method, resource, query, body: json });
  };

  const send = (res: ServerResponse, entry: MutableRequest, status: number, body: unknown, headers: Record<string, string>): void => {
    entry.status = status;
    if (res.destroyed) return;
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    const text = JSON.stringify(body);
    res
      .writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers })
      .end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake-gmail.invalid');
    const entry: MutableRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryRecord(url.searchParams),
      status: 0,
      at: Date.now(),
    };
    requests.push(entry);
    try {
      const body = await readBody(req);
      if (latencyMs > 0) await delay(latencyMs);
      const result = dispatch(req, entry, url.searchParams, body);
      send(res, entry, result.status, result.body, {});
    } catch (error) {
      // Anything else is a bug of the fake: answer 500 and say what broke.
      const answer =
        error instanceof GmailApiError
          ? error
          : new GmailApiError(500, 'INTERNAL', 'backendError', `Fake Gmail server error: ${error instanceof Error ? error.message : String(error)}`);
      send(res, entry, answer.code, answer.toJSON(), { ...answer.headers });
    }
  };

  const server = await startTestServer((req, res) => void handle(req, res));
  let closing: Promise<void> | undefined;

  return {
    origin: server.origin,
    requests,
    addMailbox(email, mailboxOptions = {}) {
      const key = email.toLowerCase();
      const token = mailboxOptions.token ?? `token-${email}`;
      if (mailboxes.has(key)) throw new Error(`Fake Gmail mailbox ${email} already exists`);
      if (tokens.has(token)) throw new Error(`Token ${token} already belongs to ${tokens.get(token)}`);
      const mailbox = new GmailMailboxState(key, ids, mailboxOptions.historyId ?? 1000);
      mailboxes.set(key, mailbox);
      tokens.set(token, key);
      return mailbox;
    },
    mailbox: requireMailbox,
    issueToken(email, token) {
      const owner = tokens.get(token);
      const key = requireMailbox(email).email;
      if (owner !== undefined && owner !== key) throw new Error(`Token ${token} already belongs to ${owner}`);
      tokens.set(token, key);
    },
    revokeToken(token) {
      tokens.delete(token);
    },
    throttle(email, throttleOptions) {
      assertCount(throttleOptions.count);
      const { status = 429, retryAfterSeconds } = throttleOptions;
      faultsOf(email).add(throttleOptions.count, { pathPattern: throttleOptions.pathPattern }, () => rateLimited(status, retryAfterSeconds));
    },
    failNext(email, failOptions) {
      assertCount(failOptions.count);
      const status = failOptions.status ?? 503;
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`status must be an HTTP error status, got ${status}`);
      faultsOf(email).add(failOptions.count, { pathPattern: failOptions.pathPattern }, () => injectedFailure(status));
    },
    expireHistory(email) {
      requireMailbox(email).expireHistory();
    },
    setLatencyMs,
    close() {
      closing ??= (async () => {
        // Requests still waiting out their latency are dropped with their connections.
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await server.close();
      })();
      return closing;
    },
  };
}
