import { apifyErrors } from './fake-apify-api-error';
import type { FakeApifyActors } from './fake-apify-actors';
import { listDatasetItems } from './fake-apify-dataset-items';
import { queryBoolean, queryNumber } from './fake-apify-query';
import type { FakeApifyRun } from './fake-apify-run';
import { runJson } from './fake-apify-run-json';
import type { FakeApifyRunStore } from './fake-apify-run-store';
import { actorJson, datasetJson } from './fake-apify-resource-json';

/** What the routes read; owned by the server. */
export interface FakeApifyRouteContext {
  readonly actors: FakeApifyActors;
  readonly runs: FakeApifyRunStore;
  readonly userId: string;
  /** Cap of the `waitForFinish` long-poll, seconds (Apify: 60). */
  readonly maxWaitForFinishSecs: number;
  readonly closing: AbortSignal;
}

/** An authenticated request, body read and decoded. */
export interface FakeApifyRouteRequest {
  readonly method: string;
  /** Without query, e.g. `/v2/actors/jane~enricher/runs`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** `http://host:port` the request was sent to, for `Location`. */
  readonly origin: string;
}

/** A route's answer: a body to send, or the run's log to stream until the run ends. */
export type FakeApifyAnswer =
  | { readonly kind: 'body'; readonly status: number; readonly contentType: string; readonly body: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'log-stream'; readonly run: FakeApifyRun };

type Params = Readonly<Record<string, string>>;
type Handler = (ctx: FakeApifyRouteContext, req: FakeApifyRouteRequest, params: Params) => FakeApifyAnswer | Promise<FakeApifyAnswer>;

interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<'GET' | 'POST', Handler>>>;
}

const runHandlers = {
  get: (async (ctx, req, params) => {
    const run = findRun(ctx, params);
    await ctx.runs.waitForFinish(run, waitForFinishMs(ctx, req.query), ctx.closing);
    return data(200, runJson(run, ctx.userId));
  }) satisfies Handler,
  abort: ((ctx, req, params) => {
    const run = findRun(ctx, params);
    run.abort(queryBoolean(req.query, 'gracefully'));
    return data(200, runJson(run, ctx.userId));
  }) satisfies Handler,
  log: ((ctx, req, params) => {
    const run = findRun(ctx, params);
    if (queryBoolean(req.query, 'stream')) return { kind: 'log-stream', run };
    return { kind: 'body', status: 200, contentType: 'text/plain; charset=utf-8', body: run.logText(), headers: {} };
  }) satisfies Handler,
  dataset: ((ctx, _req, params) => data(200, datasetJson(findRun(ctx, params), ctx.userId))) satisfies Handler,
  datasetItems: ((ctx, req, params) => itemsAnswer(findRun(ctx, params), req.query)) satisfies Handler,
};

/**
 * The endpoints the fake serves; the rest of Apify's API answers 404 `page-not-found`.
 * `/v2/actors/...` is the canonical actor path since 2026 (apify-docs#2522; `apify-client`
 * 2.25 sends it, apify-client-js#915) and `/v2/acts/...` the legacy alias Apify still accepts.
 */
const ROUTES: readonly Route[] = [
  { pattern: /^\/v2\/(?:actors|acts)\/(?<actorId>[^/]+)$/, methods: { GET: (ctx, _req, p) => getActor(ctx, p) } },
  { pattern: /^\/v2\/(?:actors|acts)\/(?<actorId>[^/]+)\/runs$/, methods: { POST: startRun, GET: listRuns } },
  { pattern: /^\/v2\/key-value-stores\/(?<storeId>[^/]+)\/records\/INPUT$/, methods: { GET: inputRecord } },
  { pattern: /^\/v2\/(?:actors|acts)\/(?<actorId>[^/]+)\/runs\/(?<runId>[^/]+)$/, methods: { GET: runHandlers.get } },
  { pattern: /^\/v2\/(?:actors|acts)\/(?<actorId>[^/]+)\/runs\/(?<runId>[^/]+)\/abort$/, methods: { POST: runHandlers.abort } },
  { pattern: /^\/v2\/actor-runs\/(?<runId>[^/]+)$/, methods: { GET: runHandlers.get } },
  { pattern: /^\/v2\/actor-runs\/(?<runId>[^/]+)\/abort$/, methods: { POST: runHandlers.abort } },
  { pattern: /^\/v2\/actor-runs\/(?<runId>[^/]+)\/log$/, methods: { GET: runHandlers.log } },
  { pattern: /^\/v2\/logs\/(?<runId>[^/]+)$/, methods: { GET: runHandlers.log } },
  { pattern: /^\/v2\/actor-runs\/(?<runId>[^/]+)\/dataset$/, methods: { GET: runHandlers.dataset } },
  { pattern: /^\/v2\/actor-runs\/(?<runId>[^/]+)\/dataset\/items$/, methods: { GET: runHandlers.datasetItems } },
  { pattern: /^\/v2\/datasets\/(?<datasetId>[^/]+)$/, methods: { GET: (ctx, _req, p) => data(200, datasetJson(findDataset(ctx, p), ctx.userId)) } },
  { pattern: /^\/v2\/datasets\/(?<datasetId>[^/]+)\/items$/, methods: { GET: (ctx, req, p) => itemsAnswer(findDataset(ctx, p), req.query) } },
];

/**
 * Answers an authenticated request: `GET /v2/actors/{actorId}`, `POST
 * /v2/actors/{actorId}/runs` (both also under `/v2/acts/`), `GET /v2/actor-runs/{runId}` (also
 * under `/v2/actors/{actorId}/runs/{runId}`), `POST
 * .../abort`, `GET .../log` (and `/v2/logs/{runId}`), `GET .../dataset[/items]` and `GET
 * /v2/datasets/{datasetId}[/items]`.
 * @throws FakeApifyApiError 404 `page-not-found` for another path, 405 `method-not-allowed` for
 * another method, and each route's own 400/404.
 */
export async function routeApifyRequest(ctx: FakeApifyRouteContext, req: FakeApifyRouteRequest): Promise<FakeApifyAnswer> {
  const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const handler = route.methods[req.method as 'GET' | 'POST'];
    if (!handler) throw apifyErrors.methodNotAllowed(Object.keys(route.methods));
    const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    return handler(ctx, req, params);
  }
  throw apifyErrors.pageNotFound();
}

function getActor(ctx: FakeApifyRouteContext, params: Params): FakeApifyAnswer {
  const actor = ctx.actors.find(params['actorId']);
  if (!actor) throw apifyErrors.actorNotFound();
  const totalRuns = ctx.runs.all().filter((r) => r.actor === actor).length;
  return data(200, actorJson(actor, ctx.userId, totalRuns));
}

/**
 * `POST /v2/actors/{actorId}/runs` (or `/v2/acts/...`): the body is the input (JSON when the content type is JSON or
 * absent, else the text); query `timeout` (s), `memory` (MB), `build`, `maxItems`,
 * `waitForFinish` (s, capped at the server's maximum). 201 with `Location`.
 */
async function startRun(ctx: FakeApifyRouteContext, req: FakeApifyRouteRequest, params: Params): Promise<FakeApifyAnswer> {
  const actor = ctx.actors.find(params['actorId']);
  if (!actor) throw apifyErrors.actorNotFound();
  const input = parseInput(req);
  const memoryMbytes = queryNumber(req.query, 'memory', { min: 128 }) ?? actor.memoryMbytes;
  const maxItems = queryNumber(req.query, 'maxItems', { integer: true });
  const options = {
    build: req.query.get('build') || 'latest',
    timeoutSecs: queryNumber(req.query, 'timeout') ?? actor.timeoutSecs,
    memoryMbytes,
    diskMbytes: memoryMbytes * 2,
    ...(maxItems === undefined ? {} : { maxItems }),
  };
  const waitMs = waitForFinishMs(ctx, req.query);
  const run = ctx.runs.start(actor, input, options, req.body.length);
  await ctx.runs.waitForFinish(run, waitMs, ctx.closing);
  return data(201, runJson(run, ctx.userId), { Location: `${req.origin}/v2/actors/${actor.id}/runs/${run.id}` });
}

function parseInput(req: FakeApifyRouteRequest): unknown {
  if (req.body.length === 0) return undefined;
  const text = req.body.toString('utf8');
  if (req.contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(req.contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw apifyErrors.invalidRequest(`Request body is not valid JSON: ${(err as Error).message}`);
  }
}

function waitForFinishMs(ctx: FakeApifyRouteContext, query: URLSearchParams): number {
  const secs = queryNumber(query, 'waitForFinish') ?? 0;
  return Math.min(secs, ctx.maxWaitForFinishSecs) * 1000;
}

/**
 * `GET /v2/actors/{actorId}/runs` (`offset`, `limit` ≤ 1000, `desc`): Apify's paginated list
 * `{ data: { total, offset, limit, desc, count, items } }` of the actor's runs by start time.
 */
function listRuns(ctx: FakeApifyRouteContext, req: FakeApifyRouteRequest, params: Params): FakeApifyAnswer {
  const actor = ctx.actors.find(params['actorId']);
  if (!actor) throw apifyErrors.actorNotFound();
  const desc = queryBoolean(req.query, 'desc');
  const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
  const limit = Math.min(1000, Math.max(1, Number(req.query.get('limit') ?? 1000) || 1000));
  const runs = ctx.runs.all().filter((r) => r.actor === actor);
  const ordered = desc ? [...runs].reverse() : runs;
  const items = ordered.slice(offset, offset + limit).map((r) => runJson(r, ctx.userId));
  return data(200, { total: runs.length, offset, limit, desc, count: items.length, items });
}

/** `GET /v2/key-value-stores/{storeId}/records/INPUT`: the input a run was started with (its default store's INPUT record). */
function inputRecord(ctx: FakeApifyRouteContext, _req: FakeApifyRouteRequest, params: Params): FakeApifyAnswer {
  const run = ctx.runs.all().find((r) => r.defaultKeyValueStoreId === params['storeId']);
  if (!run) throw apifyErrors.runNotFound();
  return { kind: 'body', status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(run.input ?? null), headers: {} };
}

function findRun(ctx: FakeApifyRouteContext, params: Params): FakeApifyRun {
  const run = ctx.runs.get(params['runId']);
  if (!run) throw apifyErrors.runNotFound();
  if (params['actorId'] !== undefined && ctx.actors.find(params['actorId']) !== run.actor) throw apifyErrors.runNotFound();
  return run;
}

function findDataset(ctx: FakeApifyRouteContext, params: Params): FakeApifyRun {
  const run = ctx.runs.byDataset(params['datasetId']);
  if (!run) throw apifyErrors.datasetNotFound();
  return run;
}

function itemsAnswer(run: FakeApifyRun, query: URLSearchParams): FakeApifyAnswer {
  const page = listDatasetItems(run.items(), query);
  return { kind: 'body', status: 200, contentType: page.contentType, body: page.body, headers: page.headers };
}

/** Apify's success envelope, `{ data }`. */
function data(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): FakeApifyAnswer {
  return { kind: 'body', status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ data: value }), headers };
}
