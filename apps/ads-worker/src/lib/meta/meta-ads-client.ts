import { AdAccount } from 'facebook-nodejs-business-sdk';
import { z } from 'zod';
import { ConfigError, PermanentJobError, type AppRedis, type Logger } from '@jobs/worker-kit';
import type { AdAccountCredentials } from '../ad-account-credentials';
import type { AdAccountInfo, AdsPlatformClient, AdsRequestContext, CampaignInfo, DailyCampaignMetrics, DayRange, HourlyCampaignCost } from '../ads-data';
import { metaPacingProblem, type MetaEnv } from './meta-env-schema';
import { MetaGraphApi } from './meta-graph-api';
import { META_DAILY_INSIGHTS_FIELDS, META_HOURLY_BREAKDOWN, META_HOURLY_INSIGHTS_FIELDS, toDailyCampaignMetrics, toHourlyCampaignCost } from './meta-insights-rows';
import { metaBudgetToMicros } from './meta-money';
import { consecutiveDayRuns } from './meta-day-runs';
import { readAllPages } from './meta-read-all-pages';
import { readInsightsThroughReportRun, type MetaReportRunPolling } from './meta-report-run';
import { MetaThrottle } from './meta-throttle';
import { MetaTooMuchDataError } from './meta-too-much-data-error';

/** The Meta client's resolved settings (see {@link metaEnvSchema} for each one's meaning and default). */
export interface MetaAdsClientConfig {
  readonly graphUrl: string;
  readonly conversionActionTypes: readonly string[];
  readonly asyncReportMinDays: number;
  readonly pageSize: number;
  readonly accountCallsPerSecond: number;
  readonly appCallsPerSecond: number;
  readonly slowDownAtPct: number;
  readonly pauseAtPct: number;
  /** Waits up to this long (ms) are held in process; longer ones → RetryLaterError. Default config 60 000. */
  readonly maxInProcessWaitMs: number;
  /** Async report run polling; default first wait 1 000 ms, ceiling 15 000 ms. */
  readonly reportRunPolling?: MetaReportRunPolling;
  /** Pause (ms) after a limit is hit when the headers give no time; default 60 000. */
  readonly defaultResetMs?: number;
}

/** Options of {@link createMetaAdsClient}. */
export interface MetaAdsClientOptions {
  readonly credentials: AdAccountCredentials;
  /** For the shared limiters (the kit's RateLimiter defines its commands on it). */
  readonly redis: AppRedis;
  /** The ads worker's key prefix (its config's `keyPrefix`, as the Google client's). */
  readonly keyPrefix: string;
  readonly config: MetaAdsClientConfig;
  readonly log?: Logger;
}

/**
 * The client config from the parsed {@link metaEnvSchema} fragment and the app's in-process wait ceiling (ms).
 * @throws ConfigError (source `ads-worker`) naming `META_SLOW_DOWN_AT_PCT` when it is not below
 *   `META_PAUSE_AT_PCT` (checked here too: an app schema built from the fragment's `.shape` loses its refinement).
 */
export function metaAdsClientConfigFromEnv(env: MetaEnv, maxInProcessWaitMs: number): MetaAdsClientConfig {
  const pacing = metaPacingProblem(env);
  if (pacing) throw new ConfigError([pacing], { source: 'ads-worker' });
  return Object.freeze({
    graphUrl: env.META_GRAPH_URL.replace(/\/+$/, ''),
    conversionActionTypes: Object.freeze([...env.META_CONVERSION_ACTION_TYPES]),
    asyncReportMinDays: env.META_ASYNC_REPORT_MIN_DAYS,
    pageSize: env.META_PAGE_SIZE,
    accountCallsPerSecond: env.META_ACCOUNT_CALLS_PER_SECOND,
    appCallsPerSecond: env.META_APP_CALLS_PER_SECOND,
    slowDownAtPct: env.META_SLOW_DOWN_AT_PCT,
    pauseAtPct: env.META_PAUSE_AT_PCT,
    maxInProcessWaitMs,
  });
}

const accountSchema = z.object({ name: z.string().nullish(), currency: z.string().regex(/^[A-Z]{3}$/), timezone_name: z.string().min(1) });
const campaignSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string(),
  status: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: z.union([z.string(), z.number()]).optional(),
});
const CAMPAIGN_FIELDS = ['id', 'name', 'status', 'effective_status', 'daily_budget', 'lifetime_budget'];
// Edges leave out ARCHIVED campaigns unless asked for, yet their spend is in the account's
// insights; DELETED ones are in neither (Marketing API, "Manage your ad object's status").
const CAMPAIGN_STATUSES = ['ACTIVE', 'PAUSED', 'IN_PROCESS', 'WITH_ISSUES', 'ARCHIVED'];

interface Session {
  readonly api: MetaGraphApi;
  readonly platformAccountId: string;
}

/**
 * The Meta Marketing API as an {@link AdsPlatformClient}, through `facebook-nodejs-business-sdk`
 * (one {@link MetaGraphApi} per call of a method: its own token, pacing and abort signal):
 * - `getAccount`: `AdAccount.read(['name','currency','timezone_name'])`;
 * - `listCampaigns`: `AdAccount.getCampaigns` (every page, ARCHIVED included); `daily_budget` (minor units) → micros
 *   by the currency's Meta offset; no daily budget (lifetime or ad-set budgets) → null;
 * - `getDailyMetrics`: `AdAccount.getInsights` with `level=campaign`, `time_increment=1`,
 *   `time_range`, `filtering` on `campaign.id` when ids are given, every page through
 *   `cursor.next()`; ranges of `asyncReportMinDays` days or more (or refused as too much data)
 *   through an async report run;
 * - `getHourlyCost`: the same with `breakdowns=hourly_stats_aggregated_by_advertiser_time_zone`,
 *   one call per run of consecutive requested days (never the span between them).
 * The job's `accountId` is resolved through the credentials to Meta's `act_<digits>`.
 * @throws PermanentJobError when the grant's account id is not `act_<digits>`, the token is
 *   refused twice, the user has no access, or a range starts more than 37 months back (Graph
 *   error 3018; the message names `dateRange.start`), or an async report run is refused as too
 *   much data (names `dateRange`); RetryLaterError for long throttling waits.
 */
export function createMetaAdsClient(options: MetaAdsClientOptions): AdsPlatformClient {
  const { config } = options;
  const accounts = new WeakMap<AdsRequestContext, Promise<AdAccountInfo>>();

  const session = async (ctx: AdsRequestContext): Promise<Session> => {
    const grant = await options.credentials.getGrant('meta', ctx.userId, ctx.accountId, { forceRefresh: false, signal: ctx.signal });
    const platformAccountId = grant.platformAccountId;
    if (!/^act_\d+$/.test(platformAccountId)) throw new PermanentJobError(`accountId ${ctx.accountId} is not a Meta ad account id (act_<digits>)`);
    const throttle = new MetaThrottle({ redis: options.redis, keyPrefix: options.keyPrefix, platformAccountId, ...config });
    const api = new MetaGraphApi({
      accessToken: grant.accessToken,
      graphUrl: config.graphUrl,
      throttle,
      accountId: ctx.accountId,
      signal: ctx.signal,
      ...(ctx.note ? { note: ctx.note } : {}),
      refreshAccessToken: async () => (await options.credentials.getGrant('meta', ctx.userId, ctx.accountId, { forceRefresh: true, signal: ctx.signal })).accessToken,
    });
    return { api, platformAccountId };
  };

  const readAccount = async (ctx: AdsRequestContext): Promise<AdAccountInfo> => {
    const { api, platformAccountId } = await session(ctx);
    const node = await new AdAccount(platformAccountId, undefined, undefined, api).read(['name', 'currency', 'timezone_name']);
    const parsed = accountSchema.safeParse(node.exportAllData());
    if (!parsed.success) throw new Error(`Meta sent ad account ${platformAccountId} without a usable currency or timezone_name`);
    return { platform: 'meta', accountId: ctx.accountId, name: parsed.data.name ?? null, currency: parsed.data.currency, timeZone: parsed.data.timezone_name };
  };
  const getAccount = (ctx: AdsRequestContext): Promise<AdAccountInfo> => {
    let info = accounts.get(ctx);
    if (!info) {
      info = readAccount(ctx);
      accounts.set(ctx, info);
      info.catch(() => accounts.delete(ctx));
    }
    return info;
  };

  const insights = async (ctx: AdsRequestContext, fields: readonly string[], params: Record<string, unknown>, days: number): Promise<unknown[]> => {
    const { api, platformAccountId } = await session(ctx);
    const polling = config.reportRunPolling ?? { initialMs: 1000, maxMs: 15_000 };
    const viaRun = async (): Promise<unknown[]> => {
      try {
        return await readInsightsThroughReportRun(api, platformAccountId, fields, params, polling, ctx.signal, ctx.note);
      } catch (err) {
        // The data-per-call limit applies to async runs too: asking again for the same cannot help.
        if (err instanceof MetaTooMuchDataError) throw new PermanentJobError(`dateRange: Meta refused even an async report run as too much data; ask for fewer days or campaignIds. ${err.message}`);
        throw err;
      }
    };
    if (days >= config.asyncReportMinDays) return viaRun();
    try {
      return await readAllPages(new AdAccount(platformAccountId, undefined, undefined, api).getInsights([...fields], { ...params }));
    } catch (err) {
      if (!(err instanceof MetaTooMuchDataError)) throw err;
      options.log?.info({ accountId: ctx.accountId }, 'Meta refused a synchronous insights call as too much data; using an async report run');
      return viaRun();
    }
  };

  const baseParams = (range: DayRange, campaignIds: readonly string[] | undefined): Record<string, unknown> => ({
    level: 'campaign',
    time_increment: 1,
    time_range: { since: range.start, until: range.end },
    limit: config.pageSize,
    ...(campaignIds ? { filtering: [{ field: 'campaign.id', operator: 'IN', value: [...campaignIds] }] } : {}),
  });

  return {
    platform: 'meta',
    getAccount,
    async listCampaigns(ctx, campaignIds) {
      const { currency } = await getAccount(ctx);
      const { api, platformAccountId } = await session(ctx);
      const nodes = await readAllPages(new AdAccount(platformAccountId, undefined, undefined, api).getCampaigns(CAMPAIGN_FIELDS, { limit: config.pageSize, effective_status: CAMPAIGN_STATUSES }));
      const wanted = campaignIds ? new Set(campaignIds) : undefined;
      const out: CampaignInfo[] = [];
      for (const node of nodes) {
        const parsed = campaignSchema.safeParse((node as { exportAllData(): unknown }).exportAllData());
        if (!parsed.success) throw new Error(`Meta sent a campaign without a usable id or name: ${parsed.error.issues[0]?.message}`);
        const c = parsed.data;
        if (wanted && !wanted.has(c.id)) continue;
        out.push({ campaignId: c.id, name: c.name, status: c.effective_status ?? c.status ?? 'UNKNOWN', dailyBudgetMicros: metaBudgetToMicros(c.daily_budget, currency, 'daily_budget') });
      }
      return out;
    },
    async getDailyMetrics(ctx, range, campaignIds) {
      if (campaignIds?.length === 0) return [];
      checkIds(campaignIds);
      const rows = await insights(ctx, META_DAILY_INSIGHTS_FIELDS, baseParams(range, campaignIds), dayCount(range));
      return rows.map((row): DailyCampaignMetrics => toDailyCampaignMetrics(row, config.conversionActionTypes));
    },
    async getHourlyCost(ctx, days, campaignIds) {
      if (days.length === 0 || campaignIds.length === 0) return [];
      checkIds(campaignIds);
      const wantedDays = new Set(days);
      const out: HourlyCampaignCost[] = [];
      // One call per run of consecutive days (in turn: they share the account's quota). Graph's
      // `time_ranges` (several ranges in one call) is not used: how it combines with
      // `time_increment` and the hourly breakdown is not documented.
      for (const run of consecutiveDayRuns(days)) {
        const rows = await insights(ctx, META_HOURLY_INSIGHTS_FIELDS, { ...baseParams(run, campaignIds), breakdowns: [META_HOURLY_BREAKDOWN] }, dayCount(run));
        for (const row of rows) {
          const hour = toHourlyCampaignCost(row);
          if (wantedDays.has(hour.date)) out.push(hour);
        }
      }
      return out;
    },
  };
}

function dayCount(range: DayRange): number {
  return Math.round((Date.parse(`${range.end}T00:00:00Z`) - Date.parse(`${range.start}T00:00:00Z`)) / 86_400_000) + 1;
}

/** @throws PermanentJobError for a campaign id that is not Meta's digits. */
function checkIds(ids: readonly string[] | undefined): void {
  const bad = ids?.find((id) => !/^\d{1,30}$/.test(id));
  if (bad !== undefined) throw new PermanentJobError(`campaignIds: ${JSON.stringify(bad)} is not a Meta campaign id (digits)`);
}
