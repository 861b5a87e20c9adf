import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTestServer } from '../../start-test-server';
import { bearerToken } from '../shared/bearer-token';
import { readRequestBody } from '../shared/read-request-body';
import type { RecordedRequest } from '../shared/recorded-request';
import { reportHandlerBugs } from '../shared/report-handler-bugs';
import { FakeMetaGraphError, metaGraphErrors } from './fake-meta-graph-error';
import { fakeMetaTodayIn } from './fake-meta-history-limit';
import { FAKE_META_DEFAULT_PAGE_SIZE } from './fake-meta-paging';
import { FakeMetaQuota, type FakeMetaQuotaOptions } from './fake-meta-quota';
import { FakeMetaReportRuns, type FakeMetaReportRun } from './fake-meta-report-runs';
import { resolveFakeMetaTarget, routeFakeMetaRequest, type FakeMetaTarget } from './fake-meta-routes';

export type { FakeMetaQuotaOptions } from './fake-meta-quota';
export type { FakeMetaAsyncStatus, FakeMetaReportRun } from './fake-meta-report-runs';
export { FAKE_META_HISTORY_MONTHS, fakeMetaOldestSince } from './fake-meta-history-limit';
export { FAKE_META_PURCHASE_ACTION_TYPES, FAKE_META_HOURLY_BREAKDOWN, fakeMetaDecimal } from './fake-meta-insights';

/** Graph API version the fake serves (the one facebook-nodejs-business-sdk 24 calls). */
export const FAKE_META_GRAPH_VERSION = 'v24.0';

/** Which ad accounts (`act_<digits>`) each access token may read; `'*'`: every synthetic Meta account. */
export type FakeMetaAccessTokens = Readonly<Record<string, readonly string[] | '*'>>;

/** Options of {@link startFakeMetaGraphServer}. */
export interface FakeMetaGraphServerOptions {
  /** Accepted tokens (`access_token` parameter or `Authorization: Bearer`); any other → code 190. */
  readonly accessTokens: FakeMetaAccessTokens;
  /** Calls per ad account in a sliding window; beyond it code 80000 (insights) / 80004. Default: none. */
  readonly quota?: FakeMetaQuotaOptions;
  /** Page size of edges without `limit`; default 25 (Graph's). */
  readonly pageSize?: number;
  /** Sync insights over more days than this answer code 100 / 1487534 (use an async run); default 400. */
  readonly asyncThresholdDays?: number;
  /** Status reads before an async run completes; default 3. */
  readonly asyncPollsToComplete?: number;
  /**
   * "Today" ('YYYY-MM-DD') for Graph's 37-month history limit: insights whose `time_range.since`
   * is older than {@link fakeMetaOldestSince}(today) are refused with code 3018. The synthetic
   * data covers 2023–2024, so tests pin it (e.g. '2025-06-30'); default: today by this machine's
   * clock in each account's time zone (then January 2024 is refused from 2027-02 on).
   */
  readonly today?: string;
}

/** Ways the fake can refuse a synchronous insights call as too heavy (see {@link FakeMetaGraphServer.refuseNextSyncInsights}). */
export type FakeMetaSyncInsightsRefusal = 'too-much-data' | 'timeout-100' | 'timeout-2' | 'reduce-data-1';

/** One request the fake received. */
export interface FakeMetaRecordedRequest extends RecordedRequest {
  /** Parameters of the query and (POST) body, JSON values as sent, `access_token` removed. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The token the request carried (test tokens only), or undefined. */
  readonly accessToken: string | undefined;
  /** The ad account it counted against, when resolved. */
  readonly accountId: string | undefined;
  /** The Graph error code answered, if any. */
  readonly errorCode: number | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A fake Meta Graph API (Marketing API, v24.0) on a loopback port, in Graph's wire format, for
 * `facebook-nodejs-business-sdk` pointed at it. Data comes from the synthetic Meta accounts
 * (`SYNTHETIC_AD_ACCOUNTS`). Serves:
 * - `GET /v24.0/act_<id>?fields=name,currency,timezone_name` (also `id`, `account_id`);
 * - `GET /v24.0/act_<id>/campaigns?fields=id,name,status,effective_status,daily_budget,lifetime_budget`
 *   (budgets as strings of the currency's minor units; `daily_budget` absent for a campaign
 *   without one; `effective_status` filter, ARCHIVED and DELETED left out without it, as Graph does);
 * - `GET /v24.0/act_<id>/insights?level=campaign&time_increment=1&time_range={"since","until"}&fields=…&filtering=…`
 *   (+ `breakdowns=hourly_stats_aggregated_by_advertiser_time_zone`), numbers as strings,
 *   `actions` / `action_values` arrays;
 * - `POST /v24.0/act_<id>/insights` (same parameters, JSON or form body) → `{ report_run_id }`;
 *   `GET /v24.0/<report_run_id>` (`async_status`, `async_percent_completion`) and
 *   `GET /v24.0/<report_run_id>/insights` once completed.
 * Edges are cursor-paged (`paging.cursors.before/after`, `paging.next` full URL with
 * `access_token`). Every answer about an account carries the usage headers
 * (`x-business-use-case-usage`, `x-ad-account-usage`, `x-fb-ads-insights-throttle`). Errors use
 * Graph's JSON envelope: 104/190 (token), 100/33 (unknown object), 200 (no permission), 100
 * (bad parameter; 1487534 too much data for a sync call), 3018 (insights older than 37 months,
 * see `today`), 80000/80004 (rate limit, beyond the quota).
 */
export interface FakeMetaGraphServer {
  /** `http://127.0.0.1:PORT` — the client's Graph base URL (no version). */
  readonly url: string;
  /** Every request, in arrival order, refused ones included. */
  readonly requests: readonly FakeMetaRecordedRequest[];
  /** How many rate-limit refusals (80000/80004) were sent. */
  readonly refusals: number;
  /** Every async report run created. */
  readonly reportRuns: readonly FakeMetaReportRun[];
  /** Replaces the accepted tokens. */
  setAccessTokens(tokens: FakeMetaAccessTokens): void;
  /** Replaces the quota (undefined: none); calls already counted stay. */
  setQuota(quota: FakeMetaQuotaOptions | undefined): void;
  /** Counts `calls` calls of `accountId` now, as another app sharing the account's quota would. */
  useQuota(accountId: string, calls: number): void;
  /**
   * The next synchronous insights GET is refused as too heavy: `too-much-data` 100 / 1487534,
   * `timeout-100` 100 / 1504018, `timeout-2` 2 / 1504038, `reduce-data-1` code 1 "Please reduce
   * the amount of data…" (Ads Insights API error codes and best-practices pages).
   */
  refuseNextSyncInsights(kind: FakeMetaSyncInsightsRefusal): void;
  /**
   * The next async report run is refused at creation (`POST …/insights`) with 100 / 1487534: the
   * data-per-call limit applies to async runs too (Insights API "Limits & Best Practices").
   */
  refuseNextAsyncInsights(): void;
  /** The next async report run ends `Job Failed` (or `Job Skipped`). */
  failNextReportRun(outcome?: 'Job Failed' | 'Job Skipped'): void;
  /** Stops listening and cuts connections. Idempotent. */
  close(): Promise<void>;
}

/** Starts a {@link FakeMetaGraphServer} on 127.0.0.1 at a free port. */
export async function startFakeMetaGraphServer(options: FakeMetaGraphServerOptions): Promise<FakeMetaGraphServer> {
  let tokens = options.accessTokens;
  let refusals = 0;
  const quota = new FakeMetaQuota(options.quota);
  const runs = new FakeMetaReportRuns(options.asyncPollsToComplete ?? 3);
  const requests: FakeMetaRecordedRequest[] = [];
  let syncRefusal: FakeMetaSyncInsightsRefusal | undefined;
  let asyncRefusal = false;
  const ctx = {
    runs,
    pageSize: options.pageSize ?? FAKE_META_DEFAULT_PAGE_SIZE,
    asyncThresholdDays: options.asyncThresholdDays ?? 400,
    todayFor: (account: { timeZone: string }) => options.today ?? fakeMetaTodayIn(account.timeZone),
    takeSyncInsightsRefusal: () => {
      const kind = syncRefusal;
      syncRefusal = undefined;
      return kind === undefined ? undefined : syncRefusalError(kind);
    },
    takeAsyncInsightsRefusal: () => {
      const refuse = asyncRefusal;
      asyncRefusal = false;
      return refuse;
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const params = { ...Object.fromEntries(url.searchParams), ...parseBody(await readRequestBody(req), req.headers['content-type']) };
    const token = typeof params['access_token'] === 'string' ? params['access_token'] : bearerToken(req.headers.authorization);
    delete params['access_token'];
    const record: Mutable<FakeMetaRecordedRequest> = { method, path: url.pathname, params, accessToken: token, accountId: undefined, errorCode: undefined, status: 0, at: Date.now() };
    requests.push(record);
    let headers: Record<string, string> = {};
    let status = 200;
    let body: unknown;
    let target: FakeMetaTarget | undefined;
    try {
      const segments = url.pathname.split('/').filter(Boolean);
      if (segments.shift() !== FAKE_META_GRAPH_VERSION) throw metaGraphErrors.unknownPath(url.pathname);
      if (token === undefined) throw metaGraphErrors.tokenMissing();
      const allowed = tokens[token];
      if (allowed === undefined) throw metaGraphErrors.tokenInvalid();
      target = resolveFakeMetaTarget(segments, runs);
      record.accountId = target.account.accountId;
      if (allowed !== '*' && !allowed.includes(target.account.accountId)) throw metaGraphErrors.noPermission(target.account.accountId);
      if (!quota.tryTake(target.account.accountId)) {
        refusals++;
        throw target.useCase === 'ads_insights' ? metaGraphErrors.insightsRateLimited() : metaGraphErrors.managementRateLimited();
      }
      body = routeFakeMetaRequest(ctx, method, target, params, url);
    } catch (err) {
      if (!(err instanceof FakeMetaGraphError)) throw err;
      status = err.status;
      record.errorCode = err.code;
      headers = { ...err.headers };
      body = err.body();
    }
    if (target) Object.assign(headers, quota.headers(target.account.accountId, businessIdOf(target.account.accountId), target.useCase, record.errorCode === 80000 || record.errorCode === 80004));
    record.status = status;
    const text = Buffer.from(JSON.stringify(body), 'utf8');
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': String(text.length), 'facebook-api-version': FAKE_META_GRAPH_VERSION });
    res.end(text);
  };

  const server = await startTestServer(reportHandlerBugs('fake Meta Graph server', handle));
  let closed: Promise<void> | undefined;
  return {
    url: server.origin,
    requests,
    get refusals() {
      return refusals;
    },
    get reportRuns() {
      return runs.all();
    },
    setAccessTokens(next) {
      tokens = next;
    },
    setQuota: (next) => quota.set(next),
    useQuota: (accountId, calls) => quota.use(accountId, calls),
    refuseNextAsyncInsights() {
      asyncRefusal = true;
    },
    refuseNextSyncInsights(kind) {
      syncRefusal = kind;
    },
    failNextReportRun: (outcome = 'Job Failed') => runs.failNext(outcome),
    close() {
      closed ??= server.close();
      return closed;
    },
  };
}

function syncRefusalError(kind: FakeMetaSyncInsightsRefusal): FakeMetaGraphError {
  if (kind === 'too-much-data') return metaGraphErrors.tooMuchData();
  if (kind === 'timeout-100') return metaGraphErrors.requestTimedOut(100);
  if (kind === 'timeout-2') return metaGraphErrors.requestTimedOut(2);
  return metaGraphErrors.reduceData();
}

/** The business owning an ad account, for the BUC header's key (made up, stable per account). */
function businessIdOf(accountId: string): string {
  return `10${accountId.replace(/\D/g, '').slice(0, 13)}`;
}

/**
 * A POST body's parameters: JSON (what the SDK sends) or form-encoded (what curl examples send).
 * @throws FakeMetaGraphError code 100 for a body that is neither.
 */
function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  if ((contentType ?? '').includes('application/json')) {
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // answered below
    }
    throw metaGraphErrors.invalidParameter('Request body must be a JSON object');
  }
  return Object.fromEntries(new URLSearchParams(text));
}
