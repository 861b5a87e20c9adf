import type { DailyCampaignMetrics } from '../ads-data';

/** The additive metrics of a campaign or the account over some days: counts, micros, conversions. */
export interface MetricSums {
  readonly impressions: number;
  readonly clicks: number;
  /** Micros, a safe integer. */
  readonly costMicros: number;
  /** May be fractional (Google). */
  readonly conversions: number;
  /** Micros, a safe integer. */
  readonly conversionValueMicros: number;
}

/** Nothing at all. */
export const ZERO_SUMS: MetricSums = Object.freeze({ impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 });

/**
 * `a + b`, metric by metric.
 * @throws RangeError when a count or a money sum leaves the safe integers (more than
 *   9 007 199 254 740 991 micros: nine billion units of the currency), or a conversion count is
 *   not finite.
 */
export function addSums(a: MetricSums, b: MetricSums | DailyCampaignMetrics): MetricSums {
  const sum: MetricSums = {
    impressions: a.impressions + b.impressions,
    clicks: a.clicks + b.clicks,
    costMicros: a.costMicros + b.costMicros,
    conversions: a.conversions + b.conversions,
    conversionValueMicros: a.conversionValueMicros + b.conversionValueMicros,
  };
  for (const key of ['impressions', 'clicks', 'costMicros', 'conversionValueMicros'] as const) {
    if (!Number.isSafeInteger(sum[key]) || sum[key] < 0) throw new RangeError(`${key} is not a safe non-negative integer: ${sum[key]}`);
  }
  if (!Number.isFinite(sum.conversions) || sum.conversions < 0) throw new RangeError(`conversions is not a finite non-negative number: ${sum.conversions}`);
  return sum;
}

/** True when any metric is non-zero (a platform would have sent a row). */
export function hasActivity(sums: MetricSums): boolean {
  return sums.impressions > 0 || sums.clicks > 0 || sums.costMicros > 0 || sums.conversions > 0 || sums.conversionValueMicros > 0;
}
