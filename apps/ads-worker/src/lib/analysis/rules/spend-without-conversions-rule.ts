import { formatMicros } from '../format-money';
import type { RecommendationRule } from './recommendation-rule';

/** Smallest share of the account's cost for `spend-without-conversions` (0.05: small tests are left alone). */
export const NO_CONVERSIONS_MIN_SHARE = 0.05;

/**
 * `spend-without-conversions`: a campaign with at least {@link NO_CONVERSIONS_MIN_SHARE} of the
 * account's cost and no conversions at all, in an account that does record conversions (else
 * the tracking is missing everywhere, not this campaign's fault). Evidence: `costMicros`,
 * `costShare`, `clicks`.
 */
export const spendWithoutConversionsRule: RecommendationRule = {
  id: 'spend-without-conversions',
  evaluate(context) {
    if (context.account.costMicros === 0 || context.account.conversions === 0) return [];
    return context.campaigns.flatMap(({ summary }) => {
      const { costMicros, conversions, clicks } = summary.kpis;
      const costShare = costMicros / context.account.costMicros;
      if (costMicros === 0 || conversions > 0 || costShare < NO_CONVERSIONS_MIN_SHARE) return [];
      return [
        {
          rule: 'spend-without-conversions',
          campaignId: summary.campaignId,
          title: `"${summary.name}" spent ${formatMicros(costMicros, context.currency)} without a conversion`,
          reason:
            `It took ${Math.round(costShare * 100)} % of the account's spend and ${clicks === 1 ? '1 click' : `${clicks} clicks`} but recorded no conversion while the rest of the account did. ` +
            `Check that its conversion goals are the account's, then its targeting and landing page; pause it if it is not meant to convert.`,
          evidence: { costMicros, costShare, clicks },
        },
      ];
    });
  },
};
