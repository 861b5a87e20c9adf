import type { AdAnalysisResult, AdAnomaly, AdRecommendation } from '@jobs/queue-contracts';

/** One campaign's line in the report's tables: the result contract's campaign entry. */
export type AdReportCampaign = AdAnalysisResult['campaigns'][number];

/**
 * One daily series of the report: the account (`campaignId` null) or one campaign, one entry per
 * day of the range in order (`dates`, `'YYYY-MM-DD'` in the account's time zone), days without
 * data as zeros. `costMicros` in micros of the account currency; `conversions` may be
 * fractional; `cpaMicros` is null on days without conversions.
 */
export interface AdReportDailySeries {
  readonly campaignId: string | null;
  readonly dates: readonly string[];
  readonly costMicros: readonly number[];
  readonly conversions: readonly number[];
  readonly cpaMicros: readonly (number | null)[];
}

/**
 * What the HTML report is made from: the part of the analysis's `AdAnalysis` (see
 * `../analysis`) the report reads. Declared here, structurally, so that the report depends only
 * on what it shows; an `AdAnalysis` is one.
 * - `summary`: the job's result without `report` (totals, previous totals, change, top campaigns).
 * - `daily`: the account's series (`campaignId` null) and each campaign's.
 * - `allCampaigns`, `allAnomalies`, `allRecommendations`: every one, not only the result's top
 *   entries (the report's tables show up to `maxTableRows` of each).
 */
export interface AdReportAnalysis {
  readonly summary: Omit<AdAnalysisResult, 'report'>;
  readonly daily: readonly AdReportDailySeries[];
  readonly allCampaigns: readonly AdReportCampaign[];
  readonly allAnomalies: readonly AdAnomaly[];
  readonly allRecommendations: readonly AdRecommendation[];
}
