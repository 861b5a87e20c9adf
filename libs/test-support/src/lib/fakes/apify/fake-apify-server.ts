import { startTestServer } from '../../start-test-server';
import { FakeApifyActors, type FakeApifyActorDefinition } from './fake-apify-actors';
import { FakeApifyFaults, type FakeApifyFailNextOptions, type FakeApifyThrottleOptions } from './fake-apify-faults';
import { HoldQueue } from '../shared/hold-queue';
import type { FakeApifyHeldRequest, FakeApifyHoldOptions } from './fake-apify-hold-options';
import { fakeApifyId } from './fake-apify-ids';
import { SlidingWindowRateLimiter } from './fake-apify-rate-limiter';
import { createApifyRequestHandler, type FakeApifyRecordedRequest, type FakeApifyServerState } from './fake-apify-request-handler';
import type { FakeApifyRunOptions, FakeApifyRunStatus } from './fake-apify-run';
import { FakeApifyRunStore } from './fake-apify-run-store';

export type { FakeApifyActorDefinition, FakeApifyItem } from './fake-apify-actors';
export type { FakeApifyFailNextOptions, FakeApifyThrottleOptions } from './fake-apify-faults';
export type { FakeApifyHeldRequest, FakeApifyHoldOptions } from './fake-apify-hold-options';
export type { FakeApifyRecordedRequest } from './fake-apify-request-handler';
export type { FakeApifyRunOptions, FakeApifyRunStatus } from './fake-apify-run';
export { FAKE_APIFY_NO_LIMIT } from './fake-apify-dataset-items';
export * from './fake-apify-lead-enrichment-actor';

/** Options of {@link startFakeApifyServer}. */
export interface FakeApifyServerOptions {
  /** The one API token accepted (`Authorization: Bearer <token>` or `?token=`). */
  readonly token: string;
  /**
   * Requests per token (per client address without one) in any sliding 1-second window, across
   * all endpoints; beyond it 429 `rate-limit-exceeded`. Refused requests do not count against
   * the window. Default: no limit.
   */
  readonly rateLimitPerSecond?: number;
  /**
   * How early, ms, a request may arrive and still find the oldest one of its window expired;
   * default 10. A client pacing at exactly `rateLimitPerSecond` sees its requests arrive a few
   * ms early or late (timer and network jitter); without slack a strict 1-second window refuses
   * some of them. 0 makes the window strict.
   */
  readonly rateLimitSlackMs?: number;
  /** Delay before each answer, ms; default 0. */
  readonly latencyMs?: number;
  /** Cap of the `waitForFinish` long-poll, seconds; default 60, Apify's documented maximum. */
  readonly maxWaitForFinishSecs?: number;
  /** The account's username, used for actors registered by a plain id; default `fake-user`. */
  readonly username?: string;
}

/** One run, as the test sees it. */
export interface FakeApifyRunRecord {
  readonly id: string;
  /** The id the actor was registered under with `addActor`. */
  readonly actorId: string;
  /** The parsed input (`undefined` for an empty body). */
  readonly input: unknown;
  readonly status: FakeApifyRunStatus;
  readonly statusMessage: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly options: FakeApifyRunOptions;
  readonly datasetId: string;
  /** Items in the run's dataset now. */
  readonly itemCount: number;
}

/**
 * A fake Apify API v2 on a loopback port, in Apify's wire format, for the `apify-client` npm
 * package (2.25) unchanged:
 * ```ts
 * const client = new ApifyClient({ token, baseUrl: server.baseUrl, maxRetries: 0 });
 * ```
 * Serves `GET /v2/actors/{actorId}`, `POST /v2/actors/{actorId}/runs` (both also under the
 * legacy `/v2/acts/`, which Apify's docs still show; the client uses `actors`; query `timeout`, `memory`,
 * `build`, `maxItems`, `waitForFinish`; body = input; 201), `GET /v2/actor-runs/{runId}` (query
 * `waitForFinish`, a long-poll capped at `maxWaitForFinishSecs`), `POST
 * /v2/actor-runs/{runId}/abort` (`gracefully`), `GET /v2/actor-runs/{runId}/log` (`stream=1`
 * streams until the run ends; `apify-client`'s `call()` reads it), `GET
 * /v2/actor-runs/{runId}/dataset[/items]` and `GET /v2/datasets/{datasetId}[/items]` (`format`
 * json/jsonl, `offset`, `limit`, `desc`, `clean`, `fields`, `omit`; `X-Apify-Pagination-*`
 * headers). Answers are `{ data: ... }`; errors `{ error: { type, message } }`: 401
 * `token-not-provided`/`token-not-valid`, 404 `actor-not-found`/`record-not-found`/
 * `page-not-found`, 405, 400, 429 `rate-limit-exceeded` (with `Retry-After: 1`, which Apify
 * does not document: an assumption) and injected 5xx.
 *
 * Actors are registered by the test ({@link FakeApifyServer.addActor}). A run is READY in the
 * start answer, RUNNING from the next tick, SUCCEEDED after `durationMs` with the items `run`
 * returned (they appear in the dataset evenly over `durationMs`, so an aborted or timed-out run
 * keeps those pushed so far); FAILED with `fail`'s message (or `run`'s error) and no items;
 * TIMED-OUT when the `timeout` query (s) passes first; ABORTED on abort (ABORTING for 20 ms
 * first when `gracefully`). TIMING-OUT is never reported. Timers are unref'd and stopped by
 * `close()`.
 *
 * Outside the fake's scope: builds, tasks, key-value stores, request queues, webhooks,
 * `run-sync*`, `maxItems` (recorded, not enforced) and dataset formats other than json/jsonl.
 */
export interface FakeApifyServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** The client's `baseUrl` (the origin: `apify-client` appends `/v2`). */
  readonly baseUrl: string;
  /** The accepted token. */
  readonly token: string;
  /** The account's user id (`userId` of runs and datasets). */
  readonly userId: string;
  /**
   * Registers an actor under `actorId`: `username~name` (or `username/name`), reachable by that
   * or by its generated id; or a plain id. Registering the same id again replaces it.
   */
  addActor(actorId: string, definition: FakeApifyActorDefinition): void;
  /**
   * The next `count` authenticated requests answer 429 `rate-limit-exceeded` (before any
   * processing), with `Retry-After` (default 1 s; `null`: none).
   */
  throttle(options: FakeApifyThrottleOptions): void;
  /** The next `count` matching authenticated requests fail (default 500) before any processing. */
  failNext(options: FakeApifyFailNextOptions): void;
  /** Delay before each answer from now on, ms. */
  setLatencyMs(ms: number): void;
  /**
   * The next request matching `method` and `pathPattern` is processed (e.g. the run IS
   * started) but its answer held until `release()` (or dropped by `cut()`), so a test can kill
   * or time out the client in between.
   */
  holdNext(options: FakeApifyHoldOptions): FakeApifyHeldRequest;
  /** Every run, in start order (a fresh snapshot on each read). */
  readonly runs: readonly FakeApifyRunRecord[];
  /** How many runs of the actor (by registered id, `username~name` or generated id) were started. */
  runsStarted(actorId: string): number;
  /** Every request received, in arrival order, retries and refused ones included. */
  readonly requests: readonly FakeApifyRecordedRequest[];
  /** How many 429 answers were sent (rate limit, `throttle`, `failNext({ status: 429 })`). */
  readonly rateLimited: number;
  /** How many runs were aborted (status ABORTING or ABORTED). */
  readonly abortedRuns: number;
  /** Stops listening, cuts connections (held, long-polling, streaming), stops run timers. Idempotent. */
  close(): Promise<void>;
}

/** Starts a {@link FakeApifyServer} on 127.0.0.1 at a free port. */
export async function startFakeApifyServer(options: FakeApifyServerOptions): Promise<FakeApifyServer> {
  const closing = new AbortController();
  const actors = new FakeApifyActors(options.username ?? 'fake-user');
  const runs = new FakeApifyRunStore();
  const holds = new HoldQueue();
  const state: FakeApifyServerState = {
    token: options.token,
    actors,
    runs,
    userId: fakeApifyId(),
    maxWaitForFinishSecs: options.maxWaitForFinishSecs ?? 60,
    closing: closing.signal,
    limiter: options.rateLimitPerSecond === undefined ? undefined : new SlidingWindowRateLimiter(options.rateLimitPerSecond, 1000, options.rateLimitSlackMs ?? 10),
    faults: new FakeApifyFaults(),
    holds,
    requests: [],
    latencyMs: options.latencyMs ?? 0,
    rateLimited: 0,
  };
  const server = await startTestServer(createApifyRequestHandler(state));
  let closed: Promise<void> | undefined;
  return {
    origin: server.origin,
    baseUrl: server.origin,
    token: options.token,
    userId: state.userId,
    addActor: (actorId, definition) => void actors.add(actorId, definition),
    throttle: (o) => state.faults.throttle(o),
    failNext: (o) => state.faults.failNext(o),
    setLatencyMs(ms) {
      state.latencyMs = ms;
    },
    holdNext: (o) => holds.holdNext(o),
    get runs() {
      const now = Date.now();
      return runs.all().map((run) => ({
        id: run.id,
        actorId: run.actor.key,
        input: run.input,
        status: run.status,
        statusMessage: run.statusMessage,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        options: run.options,
        datasetId: run.defaultDatasetId,
        itemCount: run.items(now).length,
      }));
    },
    runsStarted(actorId) {
      const actor = actors.find(actorId);
      return actor ? runs.all().filter((run) => run.actor.key === actor.key).length : 0;
    },
    requests: state.requests,
    get rateLimited() {
      return state.rateLimited;
    },
    get abortedRuns() {
      return runs.all().filter((run) => run.status === 'ABORTED' || run.status === 'ABORTING').length;
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        holds.cutAll();
        runs.dispose();
        await server.close();
      })();
      return closed;
    },
  };
}
