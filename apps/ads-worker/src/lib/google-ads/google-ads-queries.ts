import { PermanentJobError } from '@jobs/worker-kit';
import type { DayRange } from '../ads-data';

// GAQL reference: https://developers.google.com/google-ads/api/docs/query/overview. Every value
// put into a query is checked first (ids are digits, days are YYYY-MM-DD), so nothing a job
// carries can change the query's meaning.

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The account's name, currency and time zone (one row). */
export function customerQuery(): string {
  return 'SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer';
}

/**
 * Every campaign, removed ones included (they may have spent in the range), or only
 * `campaignIds`; with its serving status (`ENDED` once its end date has passed) and its budget's
 * amount, period (a daily budget only when `DAILY`) and whether the budget is shared by several
 * campaigns (`campaign_budget.explicitly_shared`, v26 field names; `campaign.end_date` was
 * replaced by `end_date_time` in v23, and the serving status already says whether it passed).
 * @throws PermanentJobError naming `campaignIds[i]` for an id that is not digits.
 */
export function campaignsQuery(campaignIds?: readonly string[]): string {
  return (
    'SELECT campaign.id, campaign.name, campaign.status, campaign.serving_status, campaign_budget.amount_micros, campaign_budget.period, campaign_budget.explicitly_shared ' +
    `FROM campaign${campaignFilter(campaignIds, 'WHERE')}`
  );
}

/**
 * One row per campaign and day of `range` (both ends included) with activity: impressions,
 * clicks, cost (micros), conversions and conversion value (currency units).
 * @throws PermanentJobError naming `campaignIds[i]`; RangeError for a malformed day.
 */
export function dailyMetricsQuery(range: DayRange, campaignIds?: readonly string[]): string {
  return (
    'SELECT campaign.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value ' +
    `FROM campaign WHERE segments.date BETWEEN '${day(range.start)}' AND '${day(range.end)}'${campaignFilter(campaignIds, 'AND')}`
  );
}

/**
 * Cost per hour of the given campaigns on the days `first`..`last` (both included; one run of
 * consecutive days — GAQL has no OR, so the client sends one query per run, see dayRuns).
 * @throws PermanentJobError naming `campaignIds[i]`; RangeError for a malformed day.
 */
export function hourlyCostQuery(first: string, last: string, campaignIds: readonly string[]): string {
  const dates = first === last ? `segments.date = '${day(first)}'` : `segments.date BETWEEN '${day(first)}' AND '${day(last)}'`;
  return `SELECT campaign.id, segments.date, segments.hour, metrics.cost_micros FROM campaign WHERE ${dates}${campaignFilter(campaignIds, 'AND')}`;
}

function campaignFilter(campaignIds: readonly string[] | undefined, keyword: 'WHERE' | 'AND'): string {
  if (campaignIds === undefined) return '';
  if (campaignIds.length === 0) throw new RangeError('an empty campaign id list has no GAQL form; ask for nothing instead');
  campaignIds.forEach((id, i) => {
    if (!/^\d{1,19}$/.test(id)) throw new PermanentJobError(`campaignIds[${i}] (${JSON.stringify(id.slice(0, 40))}) is not a Google Ads campaign id (digits only)`);
  });
  return ` ${keyword} campaign.id IN (${campaignIds.join(', ')})`;
}

function day(value: string): string {
  if (!DAY.test(value)) throw new RangeError(`not a YYYY-MM-DD day: ${JSON.stringify(value)}`);
  return value;
}
