import type { AdRecommendation } from '@jobs/queue-contracts';
import { budgetLimitedRule } from './budget-limited-rule';
import { cpaSpikeRule } from './cpa-spike-rule';
import { highCpaLargeSpendRule } from './high-cpa-large-spend-rule';
import type { RecommendationContext, RecommendationRule } from './recommendation-rule';
import { spendWithoutConversionsRule } from './spend-without-conversions-rule';
import { stoppedSpendingRule } from './stopped-spending-rule';

/** Every rule of ANALYSIS.md, in the order they are documented. */
export const RECOMMENDATION_RULES: readonly RecommendationRule[] = Object.freeze([
  highCpaLargeSpendRule,
  spendWithoutConversionsRule,
  cpaSpikeRule,
  stoppedSpendingRule,
  budgetLimitedRule,
]);

/**
 * Every rule's recommendations, ordered by the range's cost of the campaign they concern (the
 * account's for an account-wide one), descending, then rule id, then campaign id.
 */
export function recommend(context: RecommendationContext, rules: readonly RecommendationRule[] = RECOMMENDATION_RULES): AdRecommendation[] {
  const cost = new Map(context.campaigns.map((c) => [c.summary.campaignId, c.summary.kpis.costMicros]));
  const concerned = (r: AdRecommendation) => (r.campaignId === null ? context.account.costMicros : (cost.get(r.campaignId) ?? 0));
  return rules
    .flatMap((rule) => rule.evaluate(context))
    .sort((a, b) => concerned(b) - concerned(a) || compare(a.rule, b.rule) || compare(a.campaignId ?? '', b.campaignId ?? ''));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
