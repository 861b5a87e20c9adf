import type { AdKpis } from '@jobs/queue-contracts';
import type { MetricSums } from './metric-sums';

/** `numerator / denominator`, or null when the denominator is 0 (never NaN or Infinity). */
export function ratioOrNull(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * The KPIs of `adKpisSchema` from summed metrics: the sums as they are, and
 * CTR = clicks / impressions, CPC = cost / clicks, CPM = cost / impressions × 1000,
 * CVR = conversions / clicks, CPA = cost / conversions, ROAS = conversion value / cost.
 * Money ratios stay in micros and are not rounded; each ratio is null when its denominator is 0.
 */
export function kpisFromSums(sums: MetricSums): AdKpis {
  const { impressions, clicks, costMicros, conversions, conversionValueMicros } = sums;
  const cpm = ratioOrNull(costMicros, impressions);
  return {
    impressions,
    clicks,
    costMicros,
    conversions,
    conversionValueMicros,
    ctr: ratioOrNull(clicks, impressions),
    cpcMicros: ratioOrNull(costMicros, clicks),
    cpmMicros: cpm === null ? null : cpm * 1000,
    cvr: ratioOrNull(conversions, clicks),
    cpaMicros: ratioOrNull(costMicros, conversions),
    roas: ratioOrNull(conversionValueMicros, costMicros),
  };
}
