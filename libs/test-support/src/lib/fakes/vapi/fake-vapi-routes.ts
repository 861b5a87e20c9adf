import { fakeVapiCallJson } from './fake-vapi-call';
import type { FakeVapiCallLifecycle } from './fake-vapi-call-lifecycle';
import type { FakeVapiCallStore } from './fake-vapi-call-store';
import { parseFakeVapiCreateCallDto } from './fake-vapi-create-call-dto';
import { FakeVapiHttpError, vapiNotFound } from './fake-vapi-http-error';
import { parseFakeVapiListCallsQuery } from './fake-vapi-list-calls-query';

/** What a route reads: the calls, their lifecycle, and the request. */
export interface FakeVapiRouteContext {
  readonly store: FakeVapiCallStore;
  readonly lifecycle: FakeVapiCallLifecycle;
  readonly query: Readonly<Record<string, string>>;
  readonly rawBody: Buffer;
}

/** A successful answer. */
export interface FakeVapiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A route's work; throws {@link FakeVapiHttpError} for a non-2xx answer. */
export type FakeVapiRoute = (context: FakeVapiRouteContext) => FakeVapiAnswer;

/**
 * The route for `method path` (a trailing slash is ignored, as Express does), or `undefined`:
 * `POST /call` (201 the new Call, with `subscriptionLimits` when a concurrency limit is set),
 * `GET /call` (200 the matching Calls, newest first), `GET /call/{id}` (200 the Call, 404 unknown).
 */
export function matchFakeVapiRoute(method: string, path: string): FakeVapiRoute | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (trimmed === '/call') {
    if (method === 'POST') return createCall;
    if (method === 'GET') return listCalls;
    return undefined;
  }
  const id = /^\/call\/([^/]+)$/.exec(trimmed)?.[1];
  if (id !== undefined && method === 'GET') return (context) => getCall(context, safeDecode(id));
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function createCall({ store, lifecycle, rawBody }: FakeVapiRouteContext): FakeVapiAnswer {
  let body: unknown = {};
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch (err) {
      // body-parser's answer: its message as a string, not a list.
      throw new FakeVapiHttpError(400, { message: (err as Error).message, error: 'Bad Request', statusCode: 400 });
    }
  }
  const request = parseFakeVapiCreateCallDto(body);
  const { record, subscriptionLimits } = store.create(request, Date.now());
  void lifecycle.start(record);
  return { status: 201, body: { ...(subscriptionLimits ? { subscriptionLimits } : {}), ...fakeVapiCallJson(record) } };
}

function listCalls({ store, query }: FakeVapiRouteContext): FakeVapiAnswer {
  return { status: 200, body: store.list(parseFakeVapiListCallsQuery(query)).map(fakeVapiCallJson) };
}

function getCall({ store }: FakeVapiRouteContext, id: string): FakeVapiAnswer {
  const record = store.get(id);
  if (!record) throw vapiNotFound('Call not found');
  return { status: 200, body: fakeVapiCallJson(record) };
}
