import type { SyntheticAdAccount, SyntheticCampaign, SyntheticDay } from '../ads/synthetic-ad-accounts';
import { syntheticDay } from '../ads/synthetic-day';
import { syntheticHourlyCost } from '../ads/synthetic-hourly-cost';
import type { FakeGaqlCondition, FakeGaqlQuery } from './fake-gaql-query';
import { fakeGoogleAdsErrors } from './fake-google-ads-error';

/** One `GoogleAdsRow` in REST JSON: nested camelCase objects, int64 as strings, enums as names. */
export type FakeGoogleAdsRow = Record<string, Record<string, unknown>>;

/**
 * What the fake says about a synthetic campaign beyond the synthetic account's data (v26 fields):
 * - `sharedBudget`: its budget is an explicitly shared one (`campaign_budget.explicitly_shared`
 *   true; every campaign with it names the same budget resource, `…/campaignBudgets/8000`,
 *   whose amount is the campaign's `dailyBudgetMicros`); default false (its own budget);
 * - `endDate`: its last day (`YYYY-MM-DD`, account time zone), sent as `campaign.end_date_time`
 *   `'<endDate> 23:59:59'`; once that day is over in the account's time zone,
 *   `campaign.serving_status` is `ENDED` and `campaign.primary_status` `ENDED` (else `SERVING`
 *   and by `status`: `ELIGIBLE`, `PAUSED`, `REMOVED`). Without one no end date is sent (runs
 *   indefinitely). The synthetic data is not cut at the end date: set it where the data stops.
 */
export interface FakeGoogleAdsCampaignSettings {
  readonly sharedBudget?: boolean;
  readonly endDate?: string;
}

const CUSTOMER_FIELDS = ['customer.id', 'customer.descriptive_name', 'customer.currency_code', 'customer.time_zone'];
const CAMPAIGN_FIELDS = [
  'campaign.id',
  'campaign.name',
  'campaign.status',
  'campaign.serving_status',
  'campaign.primary_status',
  'campaign.end_date_time',
  'campaign_budget.amount_micros',
  'campaign_budget.period',
  'campaign_budget.explicitly_shared',
];
const METRIC_FIELDS = ['metrics.impressions', 'metrics.clicks', 'metrics.cost_micros', 'metrics.conversions', 'metrics.conversions_value'];
const SEGMENT_FIELDS = ['segments.date', 'segments.hour'];
/** Every field the fake knows, by FROM resource. */
const SELECTABLE: Readonly<Record<string, readonly string[]>> = {
  customer: CUSTOMER_FIELDS,
  campaign: [...CUSTOMER_FIELDS, ...CAMPAIGN_FIELDS, ...METRIC_FIELDS, ...SEGMENT_FIELDS],
};
const FILTERABLE = new Set(['segments.date', 'campaign.id', 'campaign.status']);
const KNOWN = new Set(Object.values(SELECTABLE).flat());

/**
 * Runs a parsed query against one synthetic Google account: `FROM customer` (one row) or
 * `FROM campaign` — without metrics one row per campaign; with metrics a date filter is needed
 * (`segments.date` BETWEEN / = / IN / `>=` with `<=`) and rows come per campaign (and per
 * `segments.date`, per `segments.hour` when selected) only where the campaign had any
 * impressions, clicks or cost, as the API leaves out empty rows. With `segments.hour` only
 * `metrics.cost_micros` may be selected (the synthetic data has hourly cost only). A campaign
 * without a daily budget reports `campaign_budget.period` `CUSTOM_PERIOD` and no `amount_micros`.
 * `settings` adds shared budgets and end dates (see FakeGoogleAdsCampaignSettings).
 * @throws FakeGoogleAdsError 400 `UNRECOGNIZED_FIELD`, `PROHIBITED_FIELD_IN_SELECT_CLAUSE`,
 *   `BAD_RESOURCE_TYPE_IN_FROM_CLAUSE`, `EXPECTED_FILTERS_ON_DATE_RANGE`, `DATE_RANGE_TOO_NARROW`
 *   or `QUERY_ERROR` (what the fake does not serve, saying so).
 */
export function runFakeGoogleAdsQuery(account: SyntheticAdAccount, query: FakeGaqlQuery, settings: ReadonlyMap<string, FakeGoogleAdsCampaignSettings> = new Map()): FakeGoogleAdsRow[] {
  const selectable = SELECTABLE[query.from];
  if (!selectable) throw fakeGoogleAdsErrors.queryError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Error in query: invalid resource '${query.from}' in FROM clause (the fake serves customer and campaign).`);
  for (const field of [...query.select, ...query.where.map((c) => c.field), ...query.orderBy.map((o) => o.field)]) {
    if (!KNOWN.has(field)) throw fakeGoogleAdsErrors.queryError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${field}'.`);
    if (!selectable.includes(field)) throw fakeGoogleAdsErrors.queryError('PROHIBITED_FIELD_IN_SELECT_CLAUSE', `The following field may not be used with FROM ${query.from}: '${field}'.`);
  }
  for (const c of query.where) {
    if (!FILTERABLE.has(c.field)) throw fakeGoogleAdsErrors.queryError('QUERY_ERROR', `The fake Google Ads server does not filter on '${c.field}'.`);
  }
  if (query.from === 'customer') return [customerRow(account, query.select)];

  const metrics = query.select.filter((f) => f.startsWith('metrics.'));
  const byDate = query.select.includes('segments.date');
  const byHour = query.select.includes('segments.hour');
  const dates = dateFilter(query.where);
  if ((metrics.length > 0 || byDate || byHour) && dates === null) {
    throw fakeGoogleAdsErrors.queryError('EXPECTED_FILTERS_ON_DATE_RANGE', 'Error in query: a finite date range filter on segments.date is required.');
  }
  if (byHour && metrics.some((m) => m !== 'metrics.cost_micros')) {
    throw fakeGoogleAdsErrors.queryError('QUERY_ERROR', 'The fake Google Ads server serves only metrics.cost_micros with segments.hour.');
  }
  const campaigns = account.campaigns.filter((c) => query.where.every((cond) => cond.field === 'segments.date' || matches(cond, cond.field === 'campaign.id' ? c.campaignId : c.status)));
  const rows: FakeGoogleAdsRow[] = [];
  for (const campaign of campaigns) {
    if (dates === null) {
      rows.push(campaignRow(account, campaign, settings.get(campaign.campaignId) ?? {}, query.select, null, null, null));
      continue;
    }
    if (!byDate && !byHour) {
      const total = dates.map((d) => syntheticDay(account, campaign.campaignId, d)).reduce(addDays, ZERO_DAY);
      if (active(total)) rows.push(campaignRow(account, campaign, settings.get(campaign.campaignId) ?? {}, query.select, total, null, null));
      continue;
    }
    for (const date of dates) {
      const day = syntheticDay(account, campaign.campaignId, date);
      if (!active(day)) continue;
      if (!byHour) {
        rows.push(campaignRow(account, campaign, settings.get(campaign.campaignId) ?? {}, query.select, day, date, null));
        continue;
      }
      syntheticHourlyCost(account, campaign.campaignId, date).forEach((costMicros, hour) => {
        if (costMicros > 0) rows.push(campaignRow(account, campaign, settings.get(campaign.campaignId) ?? {}, query.select, { ...ZERO_DAY, costMicros }, date, hour));
      });
    }
  }
  return query.limit === null ? rows : rows.slice(0, query.limit);
}

/** The `fieldMask` of an answer: the selected fields in camelCase, comma-separated. */
export function fakeGoogleAdsFieldMask(select: readonly string[]): string {
  return select.map(camelPath).join(',');
}

const ZERO_DAY: SyntheticDay = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 };

function addDays(a: SyntheticDay, b: SyntheticDay): SyntheticDay {
  return {
    impressions: a.impressions + b.impressions,
    clicks: a.clicks + b.clicks,
    costMicros: a.costMicros + b.costMicros,
    conversions: a.conversions + b.conversions,
    conversionValueMicros: a.conversionValueMicros + b.conversionValueMicros,
  };
}

function active(day: SyntheticDay): boolean {
  return day.impressions > 0 || day.clicks > 0 || day.costMicros > 0;
}

function customerRow(account: SyntheticAdAccount, select: readonly string[]): FakeGoogleAdsRow {
  const row: FakeGoogleAdsRow = {};
  for (const field of select) set(row, field, customerValue(account, field));
  return withResourceNames(row, account, null);
}

function customerValue(account: SyntheticAdAccount, field: string): unknown {
  switch (field) {
    case 'customer.id':
      return account.accountId;
    case 'customer.descriptive_name':
      return account.name;
    case 'customer.currency_code':
      return account.currency;
    default:
      return account.timeZone;
  }
}

function campaignRow(account: SyntheticAdAccount, campaign: SyntheticCampaign, settings: FakeGoogleAdsCampaignSettings, select: readonly string[], day: SyntheticDay | null, date: string | null, hour: number | null): FakeGoogleAdsRow {
  const row: FakeGoogleAdsRow = {};
  for (const field of select) {
    const value = field.startsWith('customer.') ? customerValue(account, field) : campaignValue(account, campaign, settings, field, day, date, hour);
    if (value !== undefined) set(row, field, value);
  }
  return withResourceNames(row, account, campaign, settings);
}

/** Whether the campaign's end date is over in the account's time zone. */
function ended(account: SyntheticAdAccount, settings: FakeGoogleAdsCampaignSettings): boolean {
  if (settings.endDate === undefined) return false;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: account.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return settings.endDate < today;
}

function campaignValue(account: SyntheticAdAccount, campaign: SyntheticCampaign, settings: FakeGoogleAdsCampaignSettings, field: string, day: SyntheticDay | null, date: string | null, hour: number | null): unknown {
  switch (field) {
    case 'campaign.serving_status':
      return ended(account, settings) ? 'ENDED' : 'SERVING';
    case 'campaign.primary_status':
      if (campaign.status === 'PAUSED' || campaign.status === 'REMOVED') return campaign.status;
      return ended(account, settings) ? 'ENDED' : 'ELIGIBLE';
    case 'campaign.end_date_time':
      return settings.endDate === undefined ? undefined : `${settings.endDate} 23:59:59`;
    case 'campaign_budget.explicitly_shared':
      return settings.sharedBudget === true;
    case 'campaign.id':
      return campaign.campaignId;
    case 'campaign.name':
      return campaign.name;
    case 'campaign.status':
      return campaign.status;
    case 'campaign_budget.amount_micros':
      return campaign.dailyBudgetMicros === null ? undefined : String(campaign.dailyBudgetMicros);
    case 'campaign_budget.period':
      return campaign.dailyBudgetMicros === null ? 'CUSTOM_PERIOD' : 'DAILY';
    case 'segments.date':
      return date;
    case 'segments.hour':
      return hour;
  }
  const d = day ?? ZERO_DAY;
  switch (field) {
    case 'metrics.impressions':
      return String(d.impressions);
    case 'metrics.clicks':
      return String(d.clicks);
    case 'metrics.cost_micros':
      return String(d.costMicros);
    case 'metrics.conversions':
      return d.conversions;
    default:
      // conversions_value is a double in currency units; whole cents divide exactly enough that
      // the shortest decimal of the double is the cents value (e.g. 1234.56).
      return d.conversionValueMicros / 1_000_000;
  }
}

function withResourceNames(row: FakeGoogleAdsRow, account: SyntheticAdAccount, campaign: SyntheticCampaign | null, settings: FakeGoogleAdsCampaignSettings = {}): FakeGoogleAdsRow {
  const customer = `customers/${account.accountId}`;
  if (row['customer']) row['customer'] = { resourceName: customer, ...row['customer'] };
  if (campaign && row['campaign']) row['campaign'] = { resourceName: `${customer}/campaigns/${campaign.campaignId}`, ...row['campaign'] };
  const budgetId = settings.sharedBudget ? '8000' : `9${campaign?.campaignId ?? ''}`;
  if (campaign && row['campaignBudget']) row['campaignBudget'] = { resourceName: `${customer}/campaignBudgets/${budgetId}`, ...row['campaignBudget'] };
  return row;
}

function set(row: FakeGoogleAdsRow, field: string, value: unknown): void {
  const [resource, ...rest] = camelPath(field).split('.');
  const target = (row[resource!] ??= {});
  target[rest.join('.')] = value;
}

function camelPath(field: string): string {
  return field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function matches(condition: FakeGaqlCondition, value: string): boolean {
  const values = condition.values.map(String);
  switch (condition.operator) {
    case '=':
      return value === values[0];
    case '!=':
      return value !== values[0];
    case 'IN':
      return values.includes(value);
    case 'NOT IN':
      return !values.includes(value);
    default:
      throw fakeGoogleAdsErrors.queryError('BAD_OPERATOR', `The fake Google Ads server does not apply ${condition.operator} to ${condition.field}.`);
  }
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The days the `segments.date` conditions allow, or null when there are none (no finite range). */
function dateFilter(where: readonly FakeGaqlCondition[]): string[] | null {
  const conditions = where.filter((c) => c.field === 'segments.date');
  if (conditions.length === 0) return null;
  let low: string | null = null;
  let high: string | null = null;
  let listed: string[] | null = null;
  for (const c of conditions) {
    const values = c.values.map((v) => {
      if (typeof v !== 'string' || !DAY_RE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
        throw fakeGoogleAdsErrors.queryError('BAD_VALUE', `Invalid date for segments.date: ${JSON.stringify(v)}.`);
      }
      return v;
    });
    switch (c.operator) {
      case 'BETWEEN':
        low = max(low, values[0]!);
        high = min(high, values[1]!);
        break;
      case '=':
        low = max(low, values[0]!);
        high = min(high, values[0]!);
        break;
      case '>=':
        low = max(low, values[0]!);
        break;
      case '<=':
        high = min(high, values[0]!);
        break;
      case 'IN':
        listed = listed === null ? [...values] : listed.filter((d) => values.includes(d));
        break;
      default:
        throw fakeGoogleAdsErrors.queryError('QUERY_ERROR', `The fake Google Ads server does not apply ${c.operator} to segments.date.`);
    }
  }
  if (listed !== null) return [...new Set(listed)].sort().filter((d) => (low === null || d >= low) && (high === null || d <= high));
  if (low === null || high === null) return null;
  if (low > high) throw fakeGoogleAdsErrors.queryError('DATE_RANGE_TOO_NARROW', 'Error in query: the date range is empty (start after end).');
  const days: string[] = [];
  for (let t = Date.parse(`${low}T00:00:00Z`); t <= Date.parse(`${high}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

function max(a: string | null, b: string): string {
  return a === null || b > a ? b : a;
}

function min(a: string | null, b: string): string {
  return a === null || b < a ? b : a;
}
