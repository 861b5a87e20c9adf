import { formatMicros } from '../format-money';
import type { RecommendationRule } from './recommendation-rule';

/** Fewest days without spend at the end of the range before `stopped-spending` speaks (3: one quiet day is noise, three is not). */
export const STOPPED_SPENDING_MIN_DAYS = 3;

/**
 * Statuses in which a campaign is meant to deliver: Google `ENABLED`, Meta `ACTIVE`. A paused or
 * removed campaign that does not spend is doing what it was told.
 */
export const DELIVERING_STATUSES: ReadonlySet<string> = new Set(['ENABLED', 'ACTIVE']);

/**
 * `stopped-spending`: a campaign in a delivering status whose cost is 0 on the last
 * {@link STOPPED_SPENDING_MIN_DAYS} or more days of the range, after spending earlier in the
 * range or in the previous period. Evidence: `lastSpendDate` (null when it last spent before the
 * range), `daysWithoutSpend` (at the end of the range), `averageDailyCostBeforeMicros` (cost per
 * day over the range's days before the stop, or over the previous period when it spent nothing
 * in the range; rounded to whole micros).
 */
export const stoppedSpendingRule: RecommendationRule = {
  id: 'stopped-spending',
  evaluate(context) {
    return context.campaigns.flatMap(({ summary, dailyCostMicros, previousCostMicros }) => {
      if (!DELIVERING_STATUSES.has(summary.status)) return [];
      let quiet = 0;
      while (quiet < dailyCostMicros.length && dailyCostMicros[dailyCostMicros.length - 1 - quiet] === 0) quiet++;
      const spentInRange = quiet < dailyCostMicros.length;
      if (quiet < STOPPED_SPENDING_MIN_DAYS || (!spentInRange && previousCostMicros === 0)) return [];
      const lastSpendDate = spentInRange ? context.days[dailyCostMicros.length - 1 - quiet] : null;
      const before = spentInRange
        ? dailyCostMicros.slice(0, dailyCostMicros.length - quiet).reduce((s, c) => s + c, 0) / (dailyCostMicros.length - quiet)
        : previousCostMicros / context.previousDays;
      const averageDailyCostBeforeMicros = Math.round(before);
      return [
        {
          rule: 'stopped-spending',
          campaignId: summary.campaignId,
          title: `"${summary.name}" stopped spending${lastSpendDate ? ` after ${lastSpendDate}` : ''}`,
          reason:
            `The campaign is ${summary.status} but spent nothing on the last ${quiet} days of the range, after about ` +
            `${formatMicros(averageDailyCostBeforeMicros, context.currency)} a day before. Check its billing, approvals and ` +
            `disapproved ads, schedule and end date, and whether its audience or bids still let it win auctions.`,
          evidence: { lastSpendDate, daysWithoutSpend: quiet, averageDailyCostBeforeMicros },
        },
      ];
    });
  },
};
