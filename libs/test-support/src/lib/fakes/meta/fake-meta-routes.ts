import { findSyntheticAdAccount, type SyntheticAdAccount } from '../ads';
import { metaGraphErrors, type FakeMetaGraphError } from './fake-meta-graph-error';
import { fakeMetaOldestSince } from './fake-meta-history-limit';
import { fakeMetaInsightsRows, parseFakeMetaInsightsQuery, type FakeMetaInsightsQuery } from './fake-meta-insights';
import { fakeMetaPage } from './fake-meta-paging';
import type { FakeMetaUseCase } from './fake-meta-quota';
import type { FakeMetaReportRun, FakeMetaReportRuns } from './fake-meta-report-runs';

/** The Graph object a request is about, resolved before quota and routing. */
export interface FakeMetaTarget {
  readonly account: SyntheticAdAccount;
  readonly run: FakeMetaReportRun | undefined;
  readonly edge: string | undefined;
  readonly useCase: FakeMetaUseCase;
}

/** What the routes read. */
export interface FakeMetaRouteContext {
  readonly runs: FakeMetaReportRuns;
  readonly pageSize: number;
  readonly asyncThresholdDays: number;
  /** Today ('YYYY-MM-DD') for an account: the 37-month history limit is counted back from it. */
  readonly todayFor: (account: SyntheticAdAccount) => string;
  /** An error to answer the next synchronous insights GET with instead of rows (taken once), if any. */
  readonly takeSyncInsightsRefusal: () => FakeMetaGraphError | undefined;
  /** True once after {@link FakeMetaGraphServer.refuseNextAsyncInsights}: the next report run creation answers 100 / 1487534. */
  readonly takeAsyncInsightsRefusal: () => boolean;
}

/**
 * Resolves `/v24.0/<object>[/<edge>]` to its ad account: `act_<digits>` of a synthetic Meta
 * account, or an async report run's id.
 * @throws FakeMetaGraphError 2500 for another path shape, 100/33 for an unknown object.
 */
export function resolveFakeMetaTarget(segments: readonly string[], runs: FakeMetaReportRuns): FakeMetaTarget {
  const [objectId, edge, ...rest] = segments;
  if (!objectId || rest.length > 0) throw metaGraphErrors.unknownPath(segments.join('/'));
  const run = runs.get(objectId);
  const account = run ? findSyntheticAdAccount('meta', run.accountId) : objectId.startsWith('act_') ? findSyntheticAdAccount('meta', objectId) : undefined;
  if (!account) throw metaGraphErrors.unknownObject(objectId);
  return { account, run, edge, useCase: edge === 'insights' || run ? 'ads_insights' : 'ads_management' };
}

/**
 * Answers an authorised, counted request: the account node, its `campaigns` and `insights`
 * edges (sync GET, async POST), a report run's status and its `insights`.
 * @throws FakeMetaGraphError for bad parameters, unknown edges, a report not ready, a sync
 *   request over `asyncThresholdDays` days (code 100 / 1487534, as Graph's data-per-call limit),
 *   an insights `since` older than 37 months before the account's today (code 3018, sync and
 *   async), or the refusal queued for the next sync insights call or report run.
 */
export function routeFakeMetaRequest(ctx: FakeMetaRouteContext, method: string, target: FakeMetaTarget, params: Readonly<Record<string, unknown>>, url: URL): unknown {
  const { account, run, edge } = target;
  const fields = String(params['fields'] ?? '').split(',').filter(Boolean);
  if (run) {
    if (method !== 'GET') throw metaGraphErrors.unknownPath(url.pathname);
    if (edge === undefined) return pick(ctx.runs.poll(run), fields, ['id']);
    if (edge !== 'insights') throw metaGraphErrors.unknownPath(url.pathname);
    if (!ctx.runs.isCompleted(run)) throw metaGraphErrors.invalidParameter(`Report run ${run.id} is not complete (async_status must be Job Completed before reading its insights)`);
    return fakeMetaPage(fakeMetaInsightsRows(account, run.query), url, ctx.pageSize);
  }
  if (edge === undefined && method === 'GET') {
    const node = { id: account.accountId, account_id: account.accountId.replace(/^act_/, ''), name: account.name, currency: account.currency, timezone_name: account.timeZone };
    return pick(node, fields, ['id']);
  }
  if (edge === 'campaigns' && method === 'GET') {
    const unitMicros = ['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND'].includes(account.currency) ? 1_000_000 : 10_000;
    const statuses = effectiveStatuses(params['effective_status']);
    const campaigns = account.campaigns.filter((c) => statuses.includes(c.status)).map((c) =>
      pick(
        {
          id: c.campaignId,
          name: c.name,
          status: c.status,
          effective_status: c.status,
          ...(c.dailyBudgetMicros === null ? { lifetime_budget: '0' } : { daily_budget: String(Math.round(c.dailyBudgetMicros / unitMicros)), lifetime_budget: '0' }),
        },
        fields,
        ['id'],
      ),
    );
    return fakeMetaPage(campaigns, url, ctx.pageSize);
  }
  if (edge === 'insights') {
    const query = parseFakeMetaInsightsQuery(params);
    if (query.since < fakeMetaOldestSince(ctx.todayFor(account))) throw metaGraphErrors.historyLimit();
    if (method === 'POST' && ctx.takeAsyncInsightsRefusal()) throw metaGraphErrors.tooMuchData();
    if (method === 'POST') return { report_run_id: ctx.runs.create(account.accountId, query).id };
    if (method === 'GET') {
      const refusal = ctx.takeSyncInsightsRefusal();
      if (refusal) throw refusal;
      if (days(query) > ctx.asyncThresholdDays) throw metaGraphErrors.tooMuchData();
      return fakeMetaPage(fakeMetaInsightsRows(account, query), url, ctx.pageSize);
    }
  }
  throw metaGraphErrors.unknownPath(url.pathname);
}

/**
 * The `effective_status` filter of the campaigns edge (a JSON array, or parsed); without it
 * Graph leaves out ARCHIVED and DELETED objects (Marketing API, "Manage your ad object's status").
 */
function effectiveStatuses(value: unknown): string[] {
  if (value === undefined) return ['ACTIVE', 'PAUSED', 'IN_PROCESS', 'WITH_ISSUES'];
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      list = value.split(',');
    }
  }
  if (!Array.isArray(list)) throw metaGraphErrors.invalidParameter('Param effective_status must be an array of statuses');
  return list.map(String);
}

function days(query: FakeMetaInsightsQuery): number {
  return Math.round((Date.parse(`${query.until}T00:00:00Z`) - Date.parse(`${query.since}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Only `fields` (default: `always` alone) of `node`, plus `always`, as Graph returns a node. */
function pick(node: Record<string, unknown>, fields: readonly string[], always: readonly string[]): Record<string, unknown> {
  const wanted = new Set([...always, ...fields]);
  return Object.fromEntries(Object.entries(node).filter(([key]) => wanted.has(key)));
}
