import type { AdAnalysisResult, AdAnomaly, AdRecommendation, adCampaignSummarySchema } from '@jobs/queue-contracts';
import type { z } from 'zod';
import type { AdAccountInfo, CampaignInfo, DailyCampaignMetrics, DayRange, HourlyCampaignCost } from '../ads-data';

/** One campaign's line of the result (`adCampaignSummarySchema`). */
export type AdCampaignSummary = z.infer<typeof adCampaignSummarySchema>;

/**
 * A daily series for charts: one entry per day of the range, in order, zeros where the platform
 * sent no row. `cpaMicros` is null on days without conversions.
 */
export interface AdDailySeries {
  /** Null for the whole account. */
  readonly campaignId: string | null;
  readonly dates: readonly string[];
  readonly costMicros: readonly number[];
  readonly conversions: readonly number[];
  readonly cpaMicros: readonly (number | null)[];
}

/** What `analyseAdAccount` reads: everything fetched for one job. */
export interface AdAnalysisInput {
  readonly account: AdAccountInfo;
  /** The campaigns listed by the platform (a campaign seen only in the rows is added as `UNKNOWN`). */
  readonly campaigns: readonly CampaignInfo[];
  /** The days analysed (the job's, possibly cut: see the ads worker's `analysedRanges`). */
  readonly range: DayRange;
  /** The job's days as asked, for the result's `dateRange`; default `range`. */
  readonly requestedRange?: DayRange;
  /** See `previousPeriod`; `previous` is empty when it was not fetched. */
  readonly previousRange: DayRange;
  /**
   * What was changed about the request (range cut at yesterday, previous period cut or absent …),
   * one sentence each; the result keeps the first `MAX_RESULT_NOTES`, each cut to
   * `MAX_RESULT_NOTE_CHARS`. Default none.
   */
  readonly notes?: readonly string[];
  /** Rows inside `range` (days without activity may be absent). */
  readonly current: readonly DailyCampaignMetrics[];
  /** Rows inside `previousRange`. */
  readonly previous: readonly DailyCampaignMetrics[];
  /** Hourly cost of (some of) the days `budgetCappedDays` named; may be empty. */
  readonly hourly: readonly HourlyCampaignCost[];
}

/**
 * The analysis of one ad account over one range: the bounded result summary plus everything the
 * HTML report shows in full.
 * - `summary`: the `AD_ANALYSIS` result without `report` (top 50 campaigns by cost, top 100
 *   anomalies by score, top 50 recommendations by the cost they concern; the rest counted or
 *   left to the report).
 * - `daily`: the account (`campaignId` null) first, then every campaign in `allCampaigns`' order.
 * - `allCampaigns`: every campaign, by cost descending then id.
 * - `allAnomalies`, `allRecommendations`: all of them, in the summary's order.
 */
export interface AdAnalysis {
  readonly summary: Omit<AdAnalysisResult, 'report'>;
  readonly daily: readonly AdDailySeries[];
  readonly allCampaigns: readonly AdCampaignSummary[];
  readonly allAnomalies: readonly AdAnomaly[];
  readonly allRecommendations: readonly AdRecommendation[];
}
