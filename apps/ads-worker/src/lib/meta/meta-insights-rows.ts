import { z } from 'zod';
import type { DailyCampaignMetrics, HourlyCampaignCost } from '../ads-data';
import { metaDecimalToMicros, metaNumber } from './meta-money';

/** Insights fields asked for daily rows (Insights API, `level=campaign`, `time_increment=1`). */
export const META_DAILY_INSIGHTS_FIELDS = Object.freeze(['campaign_id', 'impressions', 'clicks', 'spend', 'actions', 'action_values', 'date_start', 'date_stop']);
/** Insights fields asked for hourly rows. */
export const META_HOURLY_INSIGHTS_FIELDS = Object.freeze(['campaign_id', 'spend', 'date_start', 'date_stop']);
/** The hourly breakdown in the account's time zone (Insights API "Breakdowns"). */
export const META_HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const actionList = z.array(z.object({ action_type: z.string(), value: z.union([z.string(), z.number()]) })).optional();
const rowSchema = z.object({
  campaign_id: z.string().regex(/^\d+$/),
  impressions: z.union([z.string(), z.number()]).optional(),
  clicks: z.union([z.string(), z.number()]).optional(),
  spend: z.union([z.string(), z.number()]).optional(),
  actions: actionList,
  action_values: actionList,
  date_start: day,
  date_stop: day,
  [META_HOURLY_BREAKDOWN]: z.string().optional(),
});

/**
 * One daily insights row (Graph's JSON: numbers as strings, `actions` / `action_values` arrays)
 * as {@link DailyCampaignMetrics}: `spend` and the configured `action_values` to micros exactly,
 * conversions = the sum of the configured `actions` types.
 * @throws Error when the row is not a one-day campaign row or a number is malformed.
 */
export function toDailyCampaignMetrics(raw: unknown, conversionActionTypes: readonly string[]): DailyCampaignMetrics {
  const row = parseRow(raw);
  const types = new Set(conversionActionTypes);
  let conversions = 0;
  let conversionValueMicros = 0;
  for (const a of row.actions ?? []) if (types.has(a.action_type)) conversions += metaNumber(a.value, `actions[${a.action_type}]`);
  for (const a of row.action_values ?? []) if (types.has(a.action_type)) conversionValueMicros += metaDecimalToMicros(a.value, `action_values[${a.action_type}]`);
  return {
    campaignId: row.campaign_id,
    date: row.date_start,
    impressions: metaNumber(row.impressions, 'impressions'),
    clicks: metaNumber(row.clicks, 'clicks'),
    costMicros: metaDecimalToMicros(row.spend, 'spend'),
    conversions,
    conversionValueMicros,
  };
}

/**
 * One hourly row (`hourly_stats_aggregated_by_advertiser_time_zone: "13:00:00 - 13:59:59"`) as
 * {@link HourlyCampaignCost}.
 * @throws Error when the hour or the spend is malformed.
 */
export function toHourlyCampaignCost(raw: unknown): HourlyCampaignCost {
  const row = parseRow(raw);
  const match = /^(\d{2}):00:00/.exec(row[META_HOURLY_BREAKDOWN] ?? '');
  const hour = match ? Number(match[1]) : NaN;
  if (!(hour >= 0 && hour <= 23)) throw new Error(`Meta sent an hourly row without a usable ${META_HOURLY_BREAKDOWN}`);
  return { campaignId: row.campaign_id, date: row.date_start, hour, costMicros: metaDecimalToMicros(row.spend, 'spend') };
}

function parseRow(raw: unknown): z.infer<typeof rowSchema> {
  const data = raw && typeof raw === 'object' && '_data' in raw ? (raw as { _data: unknown })._data : raw;
  const parsed = rowSchema.safeParse(data);
  if (!parsed.success) throw new Error(`Meta sent an insights row that is not a campaign row: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  if (parsed.data.date_start !== parsed.data.date_stop) throw new Error(`Meta sent an insights row over ${parsed.data.date_start}..${parsed.data.date_stop}, not one day`);
  return parsed.data;
}
