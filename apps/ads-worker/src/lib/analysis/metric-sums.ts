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

/** A {@link MetricSums} that {@link addInto} adds to in place (one object per campaign and day, not one per row). */
export type MutableMetricSums = { -readonly [K in keyof MetricSums]: MetricSums[K] };

/** Nothing at all. */
export const ZERO_SUMS: MetricSums = Object.freeze({ impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 });

/** A new all-zero accumulator for {@link addInto}. */
export function emptySums(): MutableMetricSums {
  return { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 };
}

/**
 * Adds `b` to `target` in place, metric by metric, and returns `target`.
 * @throws RangeError when a count or a money sum leaves the safe integers (more than
 *   9 007 199 254 740 991 micros: nine billion units of the currency) or is negative, or a
 *   conversion count is not finite and non-negative. `target` is then left partly added.
 */
export function addInto(target: MutableMetricSums, b: MetricSums | DailyCampaignMetrics): MutableMetricSums {
  target.impressions += b.impressions;
  target.clicks += b.clicks;
  target.costMicros += b.costMicros;
  target.conversions += b.conversions;
  target.conversionValueMicros += b.conversionValueMicros;
  checkSafe('impressions', target.impressions);
  checkSafe('clicks', target.clicks);
  checkSafe('costMicros', target.costMicros);
  checkSafe('conversionValueMicros', target.conversionValueMicros);
  if (!Number.isFinite(target.conversions) || target.conversions < 0) {
    throw new RangeError(`conversions is not a finite non-negative number: ${target.conversions}`);
  }
  return target;
}

/**
 * `a + b`, metric by metric, as a new object (see {@link addInto} for sums over many rows).
 * @throws RangeError as {@link addInto}.
 */
export function addSums(a: MetricSums, b: MetricSums | DailyCampaignMetrics): MetricSums {
  return addInto(addInto(emptySums(), a), b);
}

/** True when any metric is non-zero (a platform would have sent a row). */
export function hasActivity(sums: MetricSums): boolean {
  return sums.impressions > 0 || sums.clicks > 0 || sums.costMicros > 0 || sums.conversions > 0 || sums.conversionValueMicros > 0;
}

function checkSafe(key: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${key} is not a safe non-negative integer: ${value}`);
}
