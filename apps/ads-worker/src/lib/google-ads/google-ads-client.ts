import { PermanentJobError, type AppRedis, type Logger } from '@jobs/worker-kit';
import type { AdAccountCredentials } from '../ad-account-credentials';
import type { AdAccountInfo, AdsPlatformClient, AdsRequestContext, CampaignInfo, DailyCampaignMetrics, DayRange, HourlyCampaignCost } from '../ads-data';
import { dayRuns } from './day-runs';
import { decimalToMicros } from './decimal-to-micros';
import type { GoogleAdsClientConfig } from './google-ads-client-config';
import { campaignsQuery, customerQuery, dailyMetricsQuery, hourlyCostQuery } from './google-ads-queries';
import { GoogleAdsSearchStream, type GoogleAdsRowJson } from './google-ads-search-stream';
import { GoogleAdsScopedThrottle } from './google-ads-scoped-throttle';
import { int64ToSafeInteger } from './int64-to-safe-integer';

/** Options of {@link createGoogleAdsClient}. */
export interface GoogleAdsClientOptions {
  readonly credentials: AdAccountCredentials;
  /** A connected client for the shared throttle (its Lua commands are defined on it). */
  readonly redis: AppRedis;
  /**
   * The ads worker's key prefix (its config's `keyPrefix`, `<BULLMQ_PREFIX>:ads-worker`, with the
   * `{ads}` hash tag on a Redis Cluster); the project's throttle key is `<keyPrefix>:rate-limit:google-ads`,
   * a customer's `<keyPrefix>:rate-limit:google-ads:customer:<customerId>`.
   */
  readonly keyPrefix: string;
  readonly config: GoogleAdsClientConfig;
  readonly log?: Logger;
}

/**
 * The Google Ads API as the ads worker uses it (see `AdsPlatformClient`), over REST
 * `googleAds:searchStream` (see GoogleAdsSearchStream for auth, throttling and errors) with GAQL
 * built from checked values (see google-ads-queries). Conversions to the shared data shape:
 * - ids and int64 metrics (`impressions`, `clicks`, `cost_micros`, `campaign_budget.amount_micros`)
 *   from their JSON strings exactly (int64ToSafeInteger); money stays in micros;
 * - `conversions_value` (a double in currency units) to micros by its decimal digits
 *   (decimalToMicros), `conversions` as the double it is (fractional with data-driven attribution);
 * - a daily budget only when `campaign_budget.period` is `DAILY` and the budget is not shared
 *   (`campaign_budget.explicitly_shared` false): a shared budget's amount is spent by all its
 *   campaigns together, so no one campaign's pace can be judged against it (null: not paced);
 * - the status is Google's `campaign.status`, except `ENDED` for an `ENABLED` campaign whose
 *   `campaign.serving_status` is `ENDED` (its end date has passed: it stopped on purpose, and
 *   is not in a delivering status for the analysis). Like `status`, this is the campaign's
 *   state now, not during the range analysed;
 * - hourly cost by one query per run of consecutive days asked (`segments.date` BETWEEN, or =
 *   for one day): never a day that was not asked for;
 * - the account's id is the customer id (10 digits) the grant names.
 * No cache: each call asks Google (a job makes four calls, plus one query per run of days whose
 * hourly cost it needs).
 */
export function createGoogleAdsClient(options: GoogleAdsClientOptions): AdsPlatformClient {
  const throttle = new GoogleAdsScopedThrottle({
    redis: options.redis,
    key: `${options.keyPrefix}:rate-limit:google-ads`,
    requestsPerSecond: options.config.requestsPerSecond,
    maxInProcessWaitMs: options.config.maxInProcessWaitMs,
  });
  const search = new GoogleAdsSearchStream({ credentials: options.credentials, config: options.config, throttle, log: options.log });
  return {
    platform: 'google',

    async getAccount(ctx) {
      const rows = await search.rows(ctx, customerQuery());
      const customer = objectAt(rows[0], 'customer');
      if (!customer) throw new PermanentJobError(`Google Ads returned no customer for ad account ${ctx.accountId}`);
      const info: AdAccountInfo = {
        platform: 'google',
        // As the job named it (the web app's id, e.g. `acc_456`), as the Meta client does: the
        // result is keyed by what the app sent, not by the platform id it resolved to.
        accountId: ctx.accountId,
        name: typeof customer['descriptiveName'] === 'string' && customer['descriptiveName'] !== '' ? customer['descriptiveName'] : null,
        currency: text(customer['currencyCode'], 'customer.currency_code'),
        timeZone: text(customer['timeZone'], 'customer.time_zone'),
      };
      return info;
    },

    async listCampaigns(ctx, campaignIds) {
      if (campaignIds?.length === 0) return [];
      const rows = await search.rows(ctx, campaignsQuery(campaignIds));
      return rows.map((row): CampaignInfo => {
        const campaign = objectAt(row, 'campaign') ?? {};
        const budget = objectAt(row, 'campaignBudget');
        const daily = budget?.['period'] === 'DAILY' && budget['amountMicros'] !== undefined && budget['explicitlyShared'] !== true;
        const status = typeof campaign['status'] === 'string' ? campaign['status'] : 'UNKNOWN';
        return {
          campaignId: campaignIdOf(campaign),
          name: typeof campaign['name'] === 'string' ? campaign['name'] : '',
          status: status === 'ENABLED' && campaign['servingStatus'] === 'ENDED' ? 'ENDED' : status,
          dailyBudgetMicros: daily ? int64ToSafeInteger(budget['amountMicros'], 'campaign_budget.amount_micros') : null,
        };
      });
    },

    async getDailyMetrics(ctx, range: DayRange, campaignIds) {
      if (campaignIds?.length === 0) return [];
      const rows = await search.rows(ctx, dailyMetricsQuery(range, campaignIds));
      return rows.map((row): DailyCampaignMetrics => {
        const metrics = objectAt(row, 'metrics') ?? {};
        const conversions = metrics['conversions'] ?? 0;
        if (typeof conversions !== 'number' || !Number.isFinite(conversions) || conversions < 0) throw new RangeError(`Google Ads sent metrics.conversions = ${JSON.stringify(conversions)}`);
        const value = metrics['conversionsValue'] ?? 0;
        if (typeof value !== 'number' && typeof value !== 'string') throw new RangeError(`Google Ads sent metrics.conversions_value = ${JSON.stringify(value)}`);
        return {
          campaignId: campaignIdOf(objectAt(row, 'campaign') ?? {}),
          date: dateOf(row),
          impressions: int64ToSafeInteger(metrics['impressions'], 'metrics.impressions'),
          clicks: int64ToSafeInteger(metrics['clicks'], 'metrics.clicks'),
          costMicros: int64ToSafeInteger(metrics['costMicros'], 'metrics.cost_micros'),
          conversions,
          conversionValueMicros: decimalToMicros(value, 'metrics.conversions_value'),
        };
      }).sort((a, b) => (a.date === b.date ? compareIds(a.campaignId, b.campaignId) : a.date < b.date ? -1 : 1));
    },

    async getHourlyCost(ctx: AdsRequestContext, days, campaignIds) {
      if (days.length === 0 || campaignIds.length === 0) return [];
      const wanted = new Set(days);
      const rows: GoogleAdsRowJson[] = [];
      for (const run of dayRuns(days)) {
        for (const row of await search.rows(ctx, hourlyCostQuery(run.start, run.end, campaignIds))) rows.push(row);
      }
      const costs: HourlyCampaignCost[] = [];
      for (const row of rows) {
        const date = dateOf(row);
        if (!wanted.has(date)) continue;
        const hour = objectAt(row, 'segments')?.['hour'];
        if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Google Ads sent segments.hour = ${JSON.stringify(hour)}`);
        costs.push({ campaignId: campaignIdOf(objectAt(row, 'campaign') ?? {}), date, hour, costMicros: int64ToSafeInteger(objectAt(row, 'metrics')?.['costMicros'], 'metrics.cost_micros') });
      }
      return costs;
    },
  };
}

function objectAt(row: GoogleAdsRowJson | undefined, key: string): Record<string, unknown> | undefined {
  const value = row?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new RangeError(`Google Ads sent no ${field}`);
  return value;
}

function campaignIdOf(campaign: Record<string, unknown>): string {
  const id = campaign['id'];
  if (typeof id === 'string' && /^\d+$/.test(id)) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  throw new RangeError(`Google Ads sent campaign.id = ${JSON.stringify(id)}`);
}

function dateOf(row: GoogleAdsRowJson): string {
  const date = objectAt(row, 'segments')?.['date'];
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`Google Ads sent segments.date = ${JSON.stringify(date)}`);
  return date;
}

/** Numeric order of digit ids (shorter first, then by digits). */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
