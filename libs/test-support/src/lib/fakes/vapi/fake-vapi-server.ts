import { randomUUID } from 'node:crypto';
import { startTestServer } from '../../start-test-server';
import { FaultQueue } from '../shared/fault-queue';
import { HoldQueue } from '../shared/hold-queue';
import { fakeVapiCallJson, type FakeVapiCall } from './fake-vapi-call';
import { FakeVapiCallLifecycle } from './fake-vapi-call-lifecycle';
import { FakeVapiCallStore } from './fake-vapi-call-store';
import type { FakeVapiHeldAnswer } from './fake-vapi-held-answer';
import { vapiHttpStatus, vapiTooManyRequests, type FakeVapiHttpError } from './fake-vapi-http-error';
import { isFakeVapiOutcome, type FakeVapiCallStatus, type FakeVapiOutcome } from './fake-vapi-outcome';
import { createFakeVapiRequestHandler, type FakeVapiHandlerState, type FakeVapiRecordedRequest } from './fake-vapi-request-handler';
import { FAKE_VAPI_DEFAULT_TIMINGS, resolveFakeVapiTimings, type FakeVapiTimings } from './fake-vapi-timings';
import { FakeVapiWebhookSender, type FakeVapiWebhookDelivery } from './fake-vapi-webhook-sender';
import { resolveFakeVapiWebhookTarget, type FakeVapiDefaultWebhook } from './fake-vapi-webhook-target';

export type { FakeVapiCall } from './fake-vapi-call';
export type { FakeVapiCallReport, FakeVapiMessage } from './fake-vapi-call-report';
export type { FakeVapiSubscriptionLimits } from './fake-vapi-call-store';
export type { FakeVapiCreateCallRequest } from './fake-vapi-create-call-dto';
export type { FakeVapiHeldAnswer } from './fake-vapi-held-answer';
export { FAKE_VAPI_CONCURRENCY_BLOCKED_PATH, FAKE_VAPI_OUTCOME_PATHS } from './fake-vapi-outcome';
export type { FakeVapiCallPath, FakeVapiCallStatus, FakeVapiOutcome } from './fake-vapi-outcome';
export type { FakeVapiRecordedRequest } from './fake-vapi-request-handler';
export type { FakeVapiEndOfCallReportMessage, FakeVapiServerMessage, FakeVapiStatusUpdateMessage } from './fake-vapi-server-messages';
export { FAKE_VAPI_DEFAULT_TIMINGS } from './fake-vapi-timings';
export type { FakeVapiResolvedTimings, FakeVapiTimings } from './fake-vapi-timings';
export type { FakeVapiWebhookDelivery } from './fake-vapi-webhook-sender';

/** Options of {@link startFakeVapiServer}. */
export interface FakeVapiServerOptions {
  /** The one private API key accepted (`Authorization: Bearer <apiKey>`). */
  readonly apiKey: string;
  /** The server-wide webhook (Vapi's organisation server URL); default none. A call's `assistantOverrides.server.url` takes precedence. */
  readonly webhookUrl?: string;
  /** Sent as `X-Vapi-Secret` with messages to `webhookUrl`; default none. */
  readonly webhookSecret?: string;
  /** Timings of the automatic lifecycle; default {@link FAKE_VAPI_DEFAULT_TIMINGS} (50 / 100 / 200 ms, automatic). */
  readonly timings?: FakeVapiTimings;
  /** Delay before each answer, ms; default 0. */
  readonly latencyMs?: number;
  /** `orgId` of every call; default a random UUID. */
  readonly orgId?: string;
  /** How long a webhook receiver may take to answer, ms; default 20 000 (Vapi's default server timeout). */
  readonly webhookTimeoutMs?: number;
}

/** Options of {@link FakeVapiServer.throttle}. */
export interface FakeVapiThrottleOptions {
  /** How many of the next matching requests answer 429. */
  readonly count: number;
  /** `Retry-After` header, seconds; default none. */
  readonly retryAfterSeconds?: number;
  /** Only requests whose path (no query) matches; default all. */
  readonly pathPattern?: RegExp;
  /** Only requests with this method; default all. */
  readonly method?: string;
}

/** Options of {@link FakeVapiServer.failNext}. */
export interface FakeVapiFailNextOptions {
  /** How many of the next matching requests fail. */
  readonly count: number;
  /** Default 500 (`{ message: 'Internal server error', statusCode: 500 }`); other statuses answer `{ message, error, statusCode }` with the reason phrase. */
  readonly status?: number;
  /** `Retry-After` header, seconds; default none. */
  readonly retryAfterSeconds?: number;
  readonly pathPattern?: RegExp;
  readonly method?: string;
}

/**
 * A fake Vapi API (api.vapi.ai) on a loopback port, in Vapi's wire format, for the official
 * `@vapi-ai/server-sdk` 2.0.1 unchanged:
 * ```ts
 * const client = new VapiClient({ token: apiKey, baseUrl: server.origin, maxRetries: 0 });
 * ```
 * Endpoints (all need `Authorization: Bearer <apiKey>`, else 401 `{ message: 'Invalid Key. Hot
 * tip, …', error: 'Unauthorized', statusCode: 401 }`):
 * - `POST /call` — Vapi's `CreateCallDto` for an outbound phone call (`assistantId` or a transient
 *   assistant, `phoneNumberId`, `customer: { number }` in E.164, `assistantOverrides` — where
 *   `metadata` and a per-call `server` go —, `name`). Unknown properties, top-level `metadata`
 *   included, answer 400 `{ message: ['property metadata should not exist'], error: 'Bad Request',
 *   statusCode: 400 }` as Vapi's whitelist validation does. 201 answers the `queued` Call.
 * - `GET /call/{id}` — the Call as it is now; 404 `Call not found`.
 * - `GET /call` — `id`, `assistantId`, `phoneNumberId`, `limit` (default 100, at most 1000),
 *   `createdAt{Gt,Lt,Ge,Le}`, `updatedAt{Gt,Lt,Ge,Le}` (ISO 8601): an array of Calls, newest first.
 * - anything else — 404 `Cannot METHOD /path`.
 *
 * Calls move `queued` → `ringing` → `in-progress` → `ended` by their number's outcome (see
 * {@link setOutcome}), on timers or by {@link advance}; each status change is POSTed to the
 * webhook as `{ message: { type: 'status-update', … } }`, the end also as
 * `{ message: { type: 'end-of-call-report', … } }`.
 */
export interface FakeVapiServer {
  /** `http://127.0.0.1:PORT`, the client's `baseUrl`. */
  readonly origin: string;
  /** Every call created, in creation order, as its current Call JSON (a fresh snapshot on each read). */
  readonly calls: ReadonlyArray<FakeVapiCall>;
  /** Every request, retries included, in arrival order. */
  readonly requests: ReadonlyArray<FakeVapiRecordedRequest>;
  /** Every webhook delivery attempt, in order: `{ type, callId, callStatus?, url, status (HTTP answer, or 0), error?, at }`. */
  readonly webhookDeliveries: ReadonlyArray<FakeVapiWebhookDelivery>;
  /**
   * How calls to `number` go from now on (default `answered`): `answered` (rings, talks, ends
   * `customer-ended-call` with transcript, summary, recording URL, duration and cost), `busy`
   * (rings, ends `customer-busy`), `no-answer` (rings, ends `customer-did-not-answer`), `failed`
   * (never rings, ends `twilio-failed-to-connect-call`). A call keeps the outcome it was created with.
   */
  setOutcome(number: string, outcome: FakeVapiOutcome): void;
  /** Timings for calls created from now on, ms (see {@link FakeVapiTimings}); omitted fields keep their value. */
  setTimings(timings: FakeVapiTimings): void;
  /**
   * Moves a call on now: to its next status, or through every status up to `to` (each one
   * announced, so `'ended'` takes an answered call through `in-progress`). Resolves when the
   * webhooks for those changes have been delivered or have failed.
   * @throws Error for an unknown call, an ended one, or a status its outcome never reaches.
   */
  advance(callId: string, to?: Exclude<FakeVapiCallStatus, 'queued'>): Promise<void>;
  /** Server-wide webhook URL (`null`: none) and the secret sent as `X-Vapi-Secret` (none when omitted). */
  setWebhook(url: string | null, secret?: string): void;
  /** The next `count` matching requests answer 429 `ThrottlerException: Too Many Requests`, with `Retry-After` if given. */
  throttle(options: FakeVapiThrottleOptions): void;
  /** The next `count` matching requests answer `status` (default 500). */
  failNext(options: FakeVapiFailNextOptions): void;
  /**
   * The next request matching `method` and `pathPattern` is processed (the call IS created) but
   * its answer waits for `release()`. `reached` resolves once it was processed. Faulted or
   * unauthenticated requests do not use a hold up. {@link close} lets held answers go.
   */
  holdNext(options: { method: string; pathPattern: RegExp }): FakeVapiHeldAnswer;
  /**
   * At most `limit` calls not yet ended (`null`: no limit, the default). A call created beyond it
   * is answered 201 with `subscriptionLimits: { concurrencyBlocked: true, concurrencyLimit,
   * remainingConcurrentCalls: 0 }` and ends at once, without ringing, with `endedReason:
   * 'call.start.error-subscription-concurrency-limit-reached'` — Vapi's documented behaviour
   * (docs.vapi.ai "Call concurrency", "Troubleshoot call errors"), not an HTTP error.
   */
  setConcurrencyLimit(limit: number | null): void;
  /** Delay before each answer from now on, ms. */
  setLatencyMs(ms: number): void;
  /** Stops timers, drops webhook deliveries in flight, lets held answers go, stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Starts a {@link FakeVapiServer} on 127.0.0.1 at a free port. */
export async function startFakeVapiServer(options: FakeVapiServerOptions): Promise<FakeVapiServer> {
  const closing = new AbortController();
  const store = new FakeVapiCallStore(options.orgId ?? randomUUID(), resolveFakeVapiTimings(FAKE_VAPI_DEFAULT_TIMINGS, options.timings));
  let webhook: FakeVapiDefaultWebhook = { url: options.webhookUrl ?? null, secret: options.webhookSecret };
  const webhooks = new FakeVapiWebhookSender(options.webhookTimeoutMs);
  const lifecycle = new FakeVapiCallLifecycle({ webhooks, targetOf: (record) => resolveFakeVapiWebhookTarget(record.request, webhook) });
  const state: FakeVapiHandlerState = {
    apiKey: options.apiKey,
    latencyMs: checkedMs('latencyMs', options.latencyMs ?? 0),
    store,
    lifecycle,
    faults: new FaultQueue<FakeVapiHttpError>(),
    holds: new HoldQueue(),
    requests: [],
    closing: closing.signal,
  };
  const server = await startTestServer(createFakeVapiRequestHandler(state));
  let closed: Promise<void> | undefined;

  return {
    origin: server.origin,
    get calls() {
      return store.records.map(fakeVapiCallJson);
    },
    requests: state.requests,
    webhookDeliveries: webhooks.deliveries,
    setOutcome(number, outcome) {
      if (!isFakeVapiOutcome(outcome)) throw new TypeError(`unknown outcome ${String(outcome)}`);
      store.setOutcome(number, outcome);
    },
    setTimings(timings) {
      store.timings = resolveFakeVapiTimings(store.timings, timings);
    },
    advance(callId, to) {
      const record = store.get(callId);
      if (!record) return Promise.reject(new Error(`no call ${callId}`));
      try {
        return lifecycle.advance(record, to);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    setWebhook(url, secret) {
      webhook = { url, secret };
    },
    throttle({ count, retryAfterSeconds, pathPattern, method }) {
      state.faults.add(count, { pathPattern, method }, () => vapiTooManyRequests(retryAfterSeconds));
    },
    failNext({ count, status = 500, retryAfterSeconds, pathPattern, method }) {
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`failNext takes a 4xx or 5xx status, got ${status}`);
      state.faults.add(count, { pathPattern, method }, () => (status === 429 ? vapiTooManyRequests(retryAfterSeconds) : vapiHttpStatus(status, retryAfterSeconds)));
    },
    holdNext({ method, pathPattern }) {
      return state.holds.holdNext({ method, pathPattern });
    },
    setConcurrencyLimit(limit) {
      if (limit !== null && (!Number.isInteger(limit) || limit < 0)) throw new RangeError(`concurrency limit must be an integer ≥ 0 or null, got ${limit}`);
      store.concurrencyLimit = limit;
    },
    setLatencyMs(ms) {
      state.latencyMs = checkedMs('latencyMs', ms);
    },
    close() {
      closed ??= (async () => {
        // Order: nothing new starts (timers, held answers, waits), then deliveries stop, then the socket.
        const steps: Array<() => unknown> = [() => closing.abort(), () => lifecycle.close(), () => webhooks.close(), () => server.close()];
        const failures: unknown[] = [];
        for (const step of steps) {
          try {
            await step();
          } catch (err) {
            failures.push(err);
          }
        }
        if (failures.length > 0) throw new AggregateError(failures, 'fake Vapi server did not close cleanly');
      })();
      return closed;
    },
  };
}

function checkedMs(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${ms}`);
  return ms;
}
