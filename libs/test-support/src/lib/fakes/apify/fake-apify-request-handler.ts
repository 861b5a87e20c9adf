import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { bearerToken } from '../shared/bearer-token';
import type { HoldQueue } from '../shared/hold-queue';
import { readRequestBody } from '../shared/read-request-body';
import { reportHandlerBugs } from '../shared/report-handler-bugs';
import { waitLatency } from '../shared/wait-latency';
import type { RecordedRequest } from '../shared/recorded-request';
import { apifyErrors, FakeApifyApiError } from './fake-apify-api-error';
import type { FakeApifyFaults } from './fake-apify-faults';
import type { FakeApifyRun } from './fake-apify-run';
import type { SlidingWindowRateLimiter } from './fake-apify-rate-limiter';
import { routeApifyRequest, type FakeApifyAnswer, type FakeApifyRouteContext } from './fake-apify-routes';

/** One request the fake Apify server received. */
export interface FakeApifyRecordedRequest extends RecordedRequest {
  /** Query parameters, e.g. `{ waitForFinish: '999999' }`. */
  readonly query: Readonly<Record<string, string>>;
}

type MutableRecord = { -readonly [K in keyof FakeApifyRecordedRequest]: FakeApifyRecordedRequest[K] };

/** Everything the handler reads and writes; owned by the server. */
export interface FakeApifyServerState extends FakeApifyRouteContext {
  readonly token: string;
  readonly limiter: SlidingWindowRateLimiter | undefined;
  readonly faults: FakeApifyFaults;
  readonly holds: HoldQueue;
  readonly requests: FakeApifyRecordedRequest[];
  latencyMs: number;
  rateLimited: number;
}

/**
 * The fake's pipeline for each request: record it, read (and decompress: the client sends
 * bodies of 1 KiB or more brotli-compressed) the body, wait the latency, then the rate limit
 * (per token, or per client address without one), the token, the injected faults, the route;
 * a matching hold then keeps the processed answer until released or cut.
 */
export function createApifyRequestHandler(state: FakeApifyServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return reportHandlerBugs('fake Apify server', (req, res) => handle(state, req, res));
}

async function handle(state: FakeApifyServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const record: MutableRecord = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, at: Date.now() };
  state.requests.push(record);
  const raw = await readRequestBody(req);
  let answer: FakeApifyAnswer;
  try {
    await waitLatency(state.latencyMs, state.closing);
    if (state.closing.aborted) {
      res.destroy();
      return;
    }
    const token = bearerToken(req.headers.authorization) ?? url.searchParams.get('token') ?? undefined;
    if (state.limiter && !state.limiter.tryAcquire(token === undefined ? `address:${req.socket.remoteAddress}` : `token:${token}`)) {
      throw apifyErrors.rateLimitExceeded(state.limiter.limit, 1);
    }
    if (token === undefined) throw apifyErrors.tokenNotProvided();
    if (token !== state.token) throw apifyErrors.tokenNotValid();
    const fault = state.faults.take(method, url.pathname);
    if (fault) throw fault;
    answer = await routeApifyRequest(state, {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: decode(raw, req.headers['content-encoding']),
      contentType: req.headers['content-type'],
      origin: `http://${req.headers.host ?? 'localhost'}`,
    }).catch(errorAnswer);
    const hold = state.holds.take(method, url.pathname);
    if (hold && (await hold) === 'cut') {
      res.destroy();
      return;
    }
  } catch (err) {
    answer = errorAnswer(err);
  }
  if (answer.kind === 'body' && answer.status === 429) state.rateLimited++;
  record.status = answer.kind === 'body' ? answer.status : 200;
  if (answer.kind === 'log-stream') streamLog(state, answer.run, res);
  else send(res, answer);
}

function errorAnswer(err: unknown): FakeApifyAnswer {
  if (!(err instanceof FakeApifyApiError)) throw err;
  return { kind: 'body', status: err.status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(err.body()), headers: err.headers };
}

/**
 * @throws FakeApifyApiError 400 for an unknown encoding or a body that does not decompress.
 */
function decode(raw: Buffer, encoding: string | undefined): Buffer {
  const name = encoding?.trim().toLowerCase();
  try {
    if (!name || name === 'identity') return raw;
    if (name === 'br') return brotliDecompressSync(raw);
    if (name === 'gzip' || name === 'x-gzip') return gunzipSync(raw);
    if (name === 'deflate') return inflateSync(raw);
  } catch (err) {
    throw apifyErrors.invalidRequest(`Request body could not be decompressed (${name}): ${(err as Error).message}`);
  }
  throw apifyErrors.invalidRequest(`Unsupported Content-Encoding: ${encoding}`);
}

function send(res: ServerResponse, answer: Extract<FakeApifyAnswer, { kind: 'body' }>): void {
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { ...answer.headers, 'Content-Type': answer.contentType, 'Content-Length': String(body.length) });
  res.end(body);
}

/** `?stream=1`: the log so far, then each new line, ending when the run does (or the server closes). */
function streamLog(state: FakeApifyServerState, run: FakeApifyRun, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.write(run.logText());
  if (run.isTerminal) {
    res.end();
    return;
  }
  const unsubscribe = run.onLog((line) => res.write(line));
  const end = (): void => {
    unsubscribe();
    state.closing.removeEventListener('abort', end);
    if (!res.writableEnded) res.end();
  };
  void run.finished.then(end);
  state.closing.addEventListener('abort', end, { once: true });
  res.once('close', end);
}
