import { formatMicros } from '../format-money';
import type { RecommendationRule } from './recommendation-rule';

/** Smallest share of the account's cost for `high-cpa-large-spend` (0.2: a fifth of the money). */
export const LARGE_SPEND_SHARE = 0.2;
/** Smallest campaign CPA / account CPA for `high-cpa-large-spend` (1.5: half as dear again). */
export const HIGH_CPA_RATIO = 1.5;

/**
 * `high-cpa-large-spend`: a campaign with at least {@link LARGE_SPEND_SHARE} of the account's
 * cost whose CPA is at least {@link HIGH_CPA_RATIO} × the account's: moving part of its money to
 * cheaper campaigns would buy more conversions. Evidence: `costMicros`, `costShare`,
 * `campaignCpaMicros`, `accountCpaMicros`, `cpaRatio`.
 */
export const highCpaLargeSpendRule: RecommendationRule = {
  id: 'high-cpa-large-spend',
  evaluate(context) {
    const accountCpa = context.account.cpaMicros;
    if (accountCpa === null || accountCpa === 0 || context.account.costMicros === 0) return [];
    return context.campaigns.flatMap(({ summary }) => {
      const cpa = summary.kpis.cpaMicros;
      const costShare = summary.kpis.costMicros / context.account.costMicros;
      if (cpa === null || costShare < LARGE_SPEND_SHARE || cpa < HIGH_CPA_RATIO * accountCpa) return [];
      const cpaRatio = cpa / accountCpa;
      return [
        {
          rule: 'high-cpa-large-spend',
          campaignId: summary.campaignId,
          title: `"${summary.name}" takes ${Math.round(costShare * 100)} % of the spend at ${cpaRatio.toFixed(1)}× the account's CPA`,
          reason:
            `Its conversions cost ${formatMicros(cpa, context.currency)} each against ${formatMicros(accountCpa, context.currency)} for the account. ` +
            `Lower its bids or target CPA, cut its weakest ad groups or audiences, or move part of its budget to cheaper campaigns.`,
          evidence: { costMicros: summary.kpis.costMicros, costShare, campaignCpaMicros: cpa, accountCpaMicros: accountCpa, cpaRatio },
        },
      ];
    });
  },
};
