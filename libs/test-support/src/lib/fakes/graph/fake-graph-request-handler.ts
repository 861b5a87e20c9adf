import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../shared/bearer-token';
import type { FaultQueue } from '../shared/fault-queue';
import { readRequestBody } from '../shared/read-request-body';
import { reportHandlerBugs } from '../shared/report-handler-bugs';
import { waitLatency } from '../shared/wait-latency';
import type { RecordedRequest } from '../shared/recorded-request';
import type { FakeGraphDeltaTokens } from './fake-graph-delta-tokens';
import { FakeGraphHttpError } from './fake-graph-http-error';
import type { FakeGraphMailboxStore } from './fake-graph-mailbox-store';
import type { FakeGraphRouteResult } from './fake-graph-route-context';
import { routeGraphRequest } from './fake-graph-routes';

/** One request the fake Graph server answered. */
export interface FakeGraphRequestRecord extends RecordedRequest {
  /** Percent-decoded path, e.g. `/v1.0/me/messages/AAMkAD...=/$value`. */
  readonly path: string;
  /** Query parameters (keys as sent; keys and values percent-decoded, `+` as space). */
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case UPN of the mailbox the bearer token maps to, when it maps to one. */
  readonly mailbox?: string;
  /** Request headers (Node's lower-case names), e.g. `retry-attempt` set by the SDK's RetryHandler. */
  readonly headers: IncomingHttpHeaders;
}

/** An injected failure, answered to one request of a mailbox. */
export interface FakeGraphFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

/** Everything the handler reads and writes; owned by the server. */
export interface FakeGraphServerState {
  /** Lower-case UPN → mailbox. */
  readonly mailboxes: Map<string, FakeGraphMailboxStore>;
  /** Access token → lower-case UPN. */
  readonly accessTokens: Map<string, string>;
  /** Lower-case UPN → pending faults; their patterns are tested against the request target (path and query, as sent). */
  readonly faults: Map<string, FaultQueue<FakeGraphFault>>;
  readonly deltaTokens: FakeGraphDeltaTokens;
  readonly requests: FakeGraphRequestRecord[];
  latencyMs: number;
  origin: string;
  /** Aborted by close(), to cut latency waits short. */
  readonly closing: AbortSignal;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/**
 * The fake's request pipeline: latency, then `/v1.0` check, bearer token → mailbox (401
 * InvalidAuthenticationToken), injected faults (429/5xx), `/me` or `/users/{upn}` (403 for another
 * mailbox), then the mail routes. Every answer carries `request-id` and echoes
 * `client-request-id`, and errors have Graph's `innerError` (which the SDK reads into
 * `GraphError.requestId` and `.date`).
 */
export function createGraphRequestHandler(state: FakeGraphServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return reportHandlerBugs('fake Graph server', (req, res) => handle(state, req, res));
}

async function handle(state: FakeGraphServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const requestId = randomUUID();
  const clientRequestId = headerValue(req.headers['client-request-id']) ?? requestId;
  const url = new URL(req.url ?? '/', state.origin);
  const query = parseQuery(url.search);
  const rawBody = await readRequestBody(req);
  let mailboxKey: string | undefined;
  let result: FakeGraphRouteResult;
  try {
    await waitLatency(state.latencyMs, state.closing);
    const segments = splitPath(url.pathname);
    if (segments[0] !== 'v1.0') throw new FakeGraphHttpError(400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}`);
    mailboxKey = authenticate(state, req);
    const mailbox = state.mailboxes.get(mailboxKey);
    if (!mailbox) throw new FakeGraphHttpError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
    takeFault(state, mailboxKey, req.method ?? 'GET', req.url ?? '/');
    const apiBase = `${state.origin}/v1.0`;
    let rest: string[];
    let resourceBase: string;
    if (segments[1]?.toLowerCase() === 'me') {
      rest = segments.slice(2);
      resourceBase = `${apiBase}/me`;
    } else if (segments[1]?.toLowerCase() === 'users' && segments[2] !== undefined) {
      if (segments[2].toLowerCase() !== mailboxKey) {
        throw new FakeGraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      }
      rest = segments.slice(3);
      resourceBase = `${apiBase}/users/${encodeURIComponent(segments[2])}`;
    } else {
      throw new FakeGraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segments[1] ?? ''}'.`);
    }
    result = await routeGraphRequest({
      method: req.method ?? 'GET',
      segments: rest,
      query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k.toLowerCase(), v])),
      prefer: parsePrefer(req.headers.prefer),
      mailbox,
      mailboxKey,
      apiBase,
      resourceBase,
      tokens: state.deltaTokens,
      readBody: async () => parseJsonBody(rawBody),
    });
  } catch (err) {
    if (!(err instanceof FakeGraphHttpError)) throw err;
    result = {
      status: err.status,
      headers: err.headers,
      json: {
        error: {
          code: err.code,
          message: err.message,
          innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId },
        },
      },
    };
  }
  state.requests.push({
    method: req.method ?? 'GET',
    path: safeDecode(url.pathname),
    query,
    mailbox: mailboxKey,
    status: result.status,
    at,
    headers: req.headers,
  });
  const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId, ...result.headers };
  if (result.raw) {
    res.writeHead(result.status, { ...headers, 'Content-Type': 'text/plain', 'Content-Length': String(result.raw.length) });
    res.end(result.raw);
  } else if (result.json !== undefined) {
    const body = Buffer.from(JSON.stringify(result.json), 'utf8');
    res.writeHead(result.status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': String(body.length) });
    res.end(body);
  } else {
    res.writeHead(result.status, headers);
    res.end();
  }
}

function authenticate(state: FakeGraphServerState, req: IncomingMessage): string {
  const authorization = headerValue(req.headers.authorization);
  const token = bearerToken(authorization);
  if (!token) throw new FakeGraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const mailboxKey = state.accessTokens.get(token);
  if (!mailboxKey) throw new FakeGraphHttpError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
  return mailboxKey;
}

function takeFault(state: FakeGraphServerState, mailboxKey: string, method: string, target: string): void {
  const fault = state.faults.get(mailboxKey)?.take(method, target);
  if (!fault) return;
  const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
  throw new FakeGraphHttpError(fault.status, fault.code, fault.message, headers);
}

/** Splits a path into decoded segments, turning OData key syntax `name('key')` into two. */
function splitPath(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((s) => s !== '')
    .map(safeDecode)
    .flatMap((segment) => {
      const key = /^([^(]+)\('((?:[^']|'')*)'\)$/.exec(segment);
      return key ? [key[1], key[2].replace(/''/g, "'")] : [segment];
    });
}

/**
 * Query string → record. `+` means a space, as in Graph (so `URLSearchParams`-encoded
 * `$filter=conversationId+eq+'...'` works); the fake's ids and tokens never contain `+`.
 */
function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  const decode = (text: string): string => safeDecode(text.replace(/\+/g, ' '));
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    query[decode(eq < 0 ? pair : pair.slice(0, eq))] = eq < 0 ? '' : decode(pair.slice(eq + 1));
  }
  return query;
}

/** `Prefer: odata.maxpagesize=10, outlook.body-content-type="text"` → name → value. */
function parsePrefer(header: string | string[] | undefined): Map<string, string> {
  const prefer = new Map<string, string>();
  for (const part of [header ?? []].flat().join(',').split(',')) {
    const [name, ...value] = part.split('=');
    if (name.trim()) prefer.set(name.trim().toLowerCase(), value.join('=').trim().replace(/^"|"$/g, ''));
  }
  return prefer;
}

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new FakeGraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
