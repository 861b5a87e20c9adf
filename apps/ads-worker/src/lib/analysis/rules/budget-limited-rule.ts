import { formatMicros } from '../format-money';
import type { RecommendationRule } from './recommendation-rule';

/** Fewest days at budget for `budget-limited` (3: a single busy day is not a pattern). */
export const BUDGET_LIMITED_MIN_DAYS = 3;
/** Smallest share of the campaign's days with spend that must be at budget (0.25: one day in four). */
export const BUDGET_LIMITED_MIN_SHARE = 0.25;

/**
 * `budget-limited`: a campaign with a daily budget whose cost reached 95 % of it on at least
 * {@link BUDGET_LIMITED_MIN_DAYS} days and at least {@link BUDGET_LIMITED_MIN_SHARE} of its days
 * with spend: it stops showing for the rest of those days. The advice depends on its CPA against
 * the account's: at or below it, more budget likely buys conversions at a similar cost; above it,
 * make it cheaper first. Evidence: `dailyBudgetMicros`, `daysAtBudget`, `daysWithSpend`,
 * `medianExhaustedHour` (null without hourly data), `utilisation`, `campaignCpaMicros`,
 * `accountCpaMicros`.
 */
export const budgetLimitedRule: RecommendationRule = {
  id: 'budget-limited',
  evaluate(context) {
    return context.campaigns.flatMap(({ summary, dailyCostMicros }) => {
      const budget = summary.budget;
      if (!budget) return [];
      const daysWithSpend = dailyCostMicros.filter((c) => c > 0).length;
      if (budget.daysAtBudget < BUDGET_LIMITED_MIN_DAYS || budget.daysAtBudget < BUDGET_LIMITED_MIN_SHARE * daysWithSpend) return [];
      const campaignCpa = summary.kpis.cpaMicros;
      const accountCpa = context.account.cpaMicros;
      const cheap = campaignCpa !== null && (accountCpa === null || campaignCpa <= accountCpa);
      const hour = budget.medianExhaustedHour === null ? null : `${String(Math.round(budget.medianExhaustedHour)).padStart(2, '0')}:00`;
      const advice = cheap
        ? `Its CPA (${formatMicros(campaignCpa, context.currency)}) is at or below the account's, so a higher daily budget likely buys more conversions at a similar cost.`
        : `Its CPA (${campaignCpa === null ? 'no conversions' : formatMicros(campaignCpa, context.currency)}) is above the account's, so lower its bids or narrow its targeting before giving it more budget.`;
      return [
        {
          rule: 'budget-limited',
          campaignId: summary.campaignId,
          title: `"${summary.name}" runs out of its daily budget${hour === null ? '' : `, typically by ${hour}`}`,
          reason: `It reached its daily budget of ${formatMicros(budget.dailyBudgetMicros, context.currency)} on ${budget.daysAtBudget} of its ${daysWithSpend} days with spend${hour === null ? '' : `; typically by ${hour} (account time)`}, and showed no ads for the rest of those days. ${advice}`,
          evidence: {
            dailyBudgetMicros: budget.dailyBudgetMicros,
            daysAtBudget: budget.daysAtBudget,
            daysWithSpend,
            medianExhaustedHour: budget.medianExhaustedHour,
            utilisation: budget.utilisation,
            campaignCpaMicros: campaignCpa,
            accountCpaMicros: accountCpa,
          },
        },
      ];
    });
  },
};
