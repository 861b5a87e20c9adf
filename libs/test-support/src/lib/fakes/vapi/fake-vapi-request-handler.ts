import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../shared/bearer-token';
import type { FaultQueue } from '../shared/fault-queue';
import type { HoldQueue } from '../shared/hold-queue';
import { readRequestBody } from '../shared/read-request-body';
import { waitLatency } from '../shared/wait-latency';
import type { RecordedRequest } from '../shared/recorded-request';
import type { FakeVapiCallLifecycle } from './fake-vapi-call-lifecycle';
import type { FakeVapiCallStore } from './fake-vapi-call-store';
import { FakeVapiHttpError, vapiRouteNotFound, vapiUnauthorized } from './fake-vapi-http-error';
import { matchFakeVapiRoute } from './fake-vapi-routes';

/** One request the fake answered (or is holding the answer of). */
export interface FakeVapiRecordedRequest extends RecordedRequest {
  /** Query parameters (the last value of a repeated one). */
  readonly query: Readonly<Record<string, string>>;
}

/** Everything the handler reads and writes; owned by the server. */
export interface FakeVapiHandlerState {
  readonly apiKey: string;
  latencyMs: number;
  readonly store: FakeVapiCallStore;
  readonly lifecycle: FakeVapiCallLifecycle;
  readonly faults: FaultQueue<FakeVapiHttpError>;
  readonly holds: HoldQueue;
  readonly requests: FakeVapiRecordedRequest[];
  readonly closing: AbortSignal;
}

/**
 * The fake's pipeline: latency, route (404 NestJS `Cannot METHOD /path`), bearer key (401),
 * injected faults (throttle / failNext), the route's work, recording, then a hold if one
 * matches (the work is done; only the answer waits). Answers are JSON.
 */
export function createFakeVapiRequestHandler(state: FakeVapiHandlerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(state, req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      send(res, 500, {}, { message: `fake Vapi server bug: ${String(err)}`, statusCode: 500 });
    });
  };
}

async function handle(state: FakeVapiHandlerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://fake-vapi.invalid');
  const path = url.pathname;
  const query = Object.fromEntries(url.searchParams);
  const rawBody = await readRequestBody(req);
  await waitLatency(state.latencyMs, state.closing);

  let status: number;
  let headers: Readonly<Record<string, string>> = {};
  let body: unknown;
  let processed = false;
  try {
    const route = matchFakeVapiRoute(method, path);
    if (!route) throw vapiRouteNotFound(method, path);
    authenticate(state.apiKey, req.headers.authorization);
    const fault = state.faults.take(method, path);
    if (fault) throw fault;
    processed = true;
    ({ status, body } = route({ store: state.store, lifecycle: state.lifecycle, query, rawBody }));
  } catch (err) {
    if (!(err instanceof FakeVapiHttpError)) throw err;
    ({ status, body, headers } = err);
  }
  state.requests.push({ method, path, query, status, at });

  const hold = processed ? state.holds.take(method, path) : undefined;
  // The server closing lets a held answer go rather than cutting it (the Vapi handle has no cut).
  if (hold) await Promise.race([hold, aborted(state.closing)]);
  send(res, status, headers, body);
}

function authenticate(apiKey: string, authorization: string | undefined): void {
  if (bearerToken(authorization) !== apiKey) throw vapiUnauthorized();
}

function send(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, json: unknown): void {
  // The client may be gone (killed while the answer was held): nothing to say to anyone.
  if (res.destroyed || res.writableEnded) return;
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) });
  res.end(body);
}

function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
