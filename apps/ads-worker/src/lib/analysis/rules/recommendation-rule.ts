import type { AdAnomaly, AdKpis, AdRecommendation } from '@jobs/queue-contracts';
import type { AdCampaignSummary } from '../ad-analysis';

/** What a rule knows about one campaign. */
export interface CampaignFacts {
  readonly summary: AdCampaignSummary;
  /** Cost on each day of the range, micros, in `RecommendationContext.days` order. */
  readonly dailyCostMicros: readonly number[];
  /** Cost over the previous period, micros (0 when it had no rows). */
  readonly previousCostMicros: number;
}

/** Everything a recommendation rule reads. */
export interface RecommendationContext {
  /** ISO 4217, for the words. */
  readonly currency: string;
  /** Every day of the range, in order. */
  readonly days: readonly string[];
  /** Length of the previous period in days. */
  readonly previousDays: number;
  /** The account's KPIs over the range. */
  readonly account: AdKpis;
  readonly campaigns: readonly CampaignFacts[];
  /** Every anomaly found. */
  readonly anomalies: readonly AdAnomaly[];
}

/** One rule of ANALYSIS.md: its id (the recommendations' `rule`) and what it finds. */
export interface RecommendationRule {
  readonly id: string;
  evaluate(context: RecommendationContext): AdRecommendation[];
}
