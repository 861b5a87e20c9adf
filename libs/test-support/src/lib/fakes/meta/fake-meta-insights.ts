import { syntheticDay, syntheticHourlyCost, type SyntheticAdAccount } from '../ads';
import { metaGraphErrors } from './fake-meta-graph-error';

/**
 * The action types the fake reports for a purchase, all with the same count and value (Meta
 * reports one conversion under several overlapping types), plus `link_click` (= clicks) — so a
 * client that sums the wrong or several types is caught.
 */
export const FAKE_META_PURCHASE_ACTION_TYPES = Object.freeze(['offsite_conversion.fb_pixel_purchase', 'omni_purchase', 'purchase']);

/** The hourly breakdown the fake understands (Insights API `breakdowns`). */
export const FAKE_META_HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';

/** What one insights request asks for, read from its parameters. */
export interface FakeMetaInsightsQuery {
  readonly since: string;
  readonly until: string;
  readonly fields: readonly string[];
  /** Only these campaign ids (a `campaign.id` IN / EQUAL filter); undefined: all. */
  readonly campaignIds: readonly string[] | undefined;
  readonly hourly: boolean;
}

const KNOWN_FIELDS = new Set([
  'account_id',
  'account_currency',
  'campaign_id',
  'campaign_name',
  'impressions',
  'clicks',
  'spend',
  'actions',
  'action_values',
  'date_start',
  'date_stop',
]);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads an insights request's parameters (query of a GET, body of a POST; JSON values as
 * strings or already parsed): `level` must be `campaign`, `time_increment` 1, `time_range`
 * `{ since, until }`, `fields` known, `filtering` only on `campaign.id`, `breakdowns` none or hourly.
 * @throws FakeMetaGraphError code 100 naming the offending parameter.
 */
export function parseFakeMetaInsightsQuery(params: Readonly<Record<string, unknown>>): FakeMetaInsightsQuery {
  if (params['level'] !== 'campaign') throw metaGraphErrors.invalidParameter(`The fake serves level=campaign only, got ${String(params['level'])}`);
  if (String(params['time_increment']) !== '1') throw metaGraphErrors.invalidParameter('The fake serves time_increment=1 only');
  const range = json(params['time_range'], 'time_range') as { since?: unknown; until?: unknown } | undefined;
  if (!range || typeof range.since !== 'string' || typeof range.until !== 'string' || !DAY.test(range.since) || !DAY.test(range.until) || range.since > range.until) {
    throw metaGraphErrors.invalidParameter('Param time_range must be a JSON object {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"} with since <= until');
  }
  const fields = String(params['fields'] ?? '').split(',').filter(Boolean);
  for (const field of fields) if (!KNOWN_FIELDS.has(field)) throw metaGraphErrors.invalidParameter(`Tried accessing nonexisting field (${field}) on node type (AdsInsights)`);
  const breakdowns = params['breakdowns'] === undefined ? [] : String(params['breakdowns']).replace(/[[\]"]/g, '').split(',').filter(Boolean);
  if (breakdowns.some((b) => b !== FAKE_META_HOURLY_BREAKDOWN)) throw metaGraphErrors.invalidParameter(`The fake serves breakdowns=${FAKE_META_HOURLY_BREAKDOWN} only`);
  return { since: range.since, until: range.until, fields, campaignIds: campaignFilter(params['filtering']), hourly: breakdowns.length > 0 };
}

/**
 * The insights rows of `account` for `query`, in Graph's shape: numbers as strings
 * (`"impressions":"1234"`, `"spend":"12.34"`), `actions` / `action_values` arrays of
 * `{ action_type, value }`, `date_start` = `date_stop` = the day; only the requested fields
 * (plus the dates, which Graph always sends). Days without delivery (no impressions, clicks or
 * spend) are left out, as Graph does. Ordered by day, then campaign; hourly rows by hour, only
 * hours with spend.
 */
export function fakeMetaInsightsRows(account: SyntheticAdAccount, query: FakeMetaInsightsQuery): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const campaigns = account.campaigns.filter((c) => !query.campaignIds || query.campaignIds.includes(c.campaignId));
  for (let date = query.since; date <= query.until; date = nextDay(date)) {
    for (const campaign of campaigns) {
      const day = syntheticDay(account, campaign.campaignId, date);
      if (day.impressions === 0 && day.clicks === 0 && day.costMicros === 0) continue;
      const base = { campaign, date };
      if (!query.hourly) {
        rows.push(row(account, query.fields, base, day.impressions, day.clicks, day.costMicros, day.conversions, day.conversionValueMicros));
        continue;
      }
      syntheticHourlyCost(account, campaign.campaignId, date).forEach((cost, hour) => {
        if (cost === 0) return;
        const hh = String(hour).padStart(2, '0');
        rows.push({ ...row(account, query.fields, base, null, null, cost, null, null), [FAKE_META_HOURLY_BREAKDOWN]: `${hh}:00:00 - ${hh}:59:59` });
      });
    }
  }
  return rows;
}

function row(
  account: SyntheticAdAccount,
  fields: readonly string[],
  at: { campaign: { campaignId: string; name: string }; date: string },
  impressions: number | null,
  clicks: number | null,
  costMicros: number,
  conversions: number | null,
  valueMicros: number | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'account_id') out[field] = account.accountId.replace(/^act_/, '');
    else if (field === 'account_currency') out[field] = account.currency;
    else if (field === 'campaign_id') out[field] = at.campaign.campaignId;
    else if (field === 'campaign_name') out[field] = at.campaign.name;
    else if (field === 'impressions' && impressions !== null) out[field] = String(impressions);
    else if (field === 'clicks' && clicks !== null) out[field] = String(clicks);
    else if (field === 'spend') out[field] = fakeMetaDecimal(costMicros);
    else if (field === 'actions' && conversions !== null && clicks !== null) {
      const actions = [{ action_type: 'link_click', value: String(clicks) }];
      if (conversions > 0) for (const type of FAKE_META_PURCHASE_ACTION_TYPES) actions.push({ action_type: type, value: String(conversions) });
      out[field] = actions;
    } else if (field === 'action_values' && valueMicros !== null && valueMicros > 0) {
      out[field] = FAKE_META_PURCHASE_ACTION_TYPES.map((type) => ({ action_type: type, value: fakeMetaDecimal(valueMicros) }));
    }
  }
  out['date_start'] = at.date;
  out['date_stop'] = at.date;
  return out;
}

/**
 * Micros as Graph writes money: a decimal string with at most two decimals and no trailing
 * zeros (`"12.3"`, `"12"`, `"0.05"`).
 * @throws Error when the amount is not whole cents (the synthetic data promises it is).
 */
export function fakeMetaDecimal(micros: number): string {
  if (micros % 10_000 !== 0) throw new Error(`fake Meta: ${micros} micros is not whole cents`);
  const cents = micros / 10_000;
  const units = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0').replace(/0+$/, '');
  return rest ? `${units}.${rest}` : String(units);
}

/** The day after `date` ('YYYY-MM-DD'). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function json(value: unknown, name: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw metaGraphErrors.invalidParameter(`Param ${name} must be JSON`);
  }
}

function campaignFilter(value: unknown): string[] | undefined {
  const filters = json(value, 'filtering');
  if (filters === undefined) return undefined;
  if (!Array.isArray(filters)) throw metaGraphErrors.invalidParameter('Param filtering must be a JSON array');
  let ids: string[] | undefined;
  for (const f of filters as { field?: unknown; operator?: unknown; value?: unknown }[]) {
    if (f.field !== 'campaign.id') throw metaGraphErrors.invalidParameter(`The fake filters on campaign.id only, got ${String(f.field)}`);
    const values = f.operator === 'IN' && Array.isArray(f.value) ? f.value.map(String) : f.operator === 'EQUAL' ? [String(f.value)] : undefined;
    if (!values) throw metaGraphErrors.invalidParameter('Filter on campaign.id must use IN (array) or EQUAL');
    ids = ids ? ids.filter((id) => values.includes(id)) : values;
  }
  return ids;
}
