import type { adBudgetPacingSchema } from '@jobs/queue-contracts';
import type { z } from 'zod';
import { median } from 'simple-statistics';
import type { CampaignInfo, DailyCampaignMetrics, DayRange, HourlyCampaignCost } from '../ads-data';
import { campaignDaySums } from './campaign-day-sums';
import { ratioOrNull } from './kpis-from-sums';

/** Share of the daily budget at which a day counts as capped: 0.95 (platforms stop a little short of the budget; Google may also spend up to 2× it on one day and makes up over the month — support.google.com/google-ads/answer/6385083). */
export const BUDGET_CAP_SHARE = 0.95;

/** Budget pacing of one campaign, as in the result (`adBudgetPacingSchema`). */
export type AdBudgetPacing = z.infer<typeof adBudgetPacingSchema>;

/** A campaign's day that reached its budget, whose hourly cost the pacing wants. */
export interface BudgetCappedDay {
  readonly campaignId: string;
  readonly date: string;
}

/**
 * The (campaign, day) pairs of `current` whose cost reached {@link BUDGET_CAP_SHARE} of the
 * campaign's daily budget (campaigns with a budget > 0 only), ordered by campaign then day. The
 * caller fetches hourly cost for these (`AdsPlatformClient.getHourlyCost(days, campaignIds)`
 * with the distinct days and campaign ids) and passes it to the analysis as `hourly`.
 * @throws RangeError as `campaignDaySums` (a row outside `range`).
 */
export function budgetCappedDays(campaigns: readonly CampaignInfo[], current: readonly DailyCampaignMetrics[], range: DayRange): BudgetCappedDay[] {
  const sums = campaignDaySums(current, range);
  const out: BudgetCappedDay[] = [];
  for (const campaign of [...campaigns].sort((a, b) => compare(a.campaignId, b.campaignId))) {
    const budget = campaign.dailyBudgetMicros;
    const byDay = sums.get(campaign.campaignId);
    if (budget === null || budget <= 0 || !byDay) continue;
    const days: string[] = [];
    for (const [date, s] of byDay) if (s.costMicros >= BUDGET_CAP_SHARE * budget) days.push(date);
    for (const date of days.sort()) out.push({ campaignId: campaign.campaignId, date });
  }
  return out;
}

/**
 * The clock hour (1–24, account time) by which a day's cumulative cost reached
 * {@link BUDGET_CAP_SHARE} of the budget: the index of the hour in which it was crossed, plus
 * one (spend over hours 0–11 reaches it "by 12"). Null when the hours given never reach it.
 */
export function budgetExhaustedHour(budgetMicros: number, hours: readonly HourlyCampaignCost[]): number | null {
  const costByHour = new Array<number>(24).fill(0);
  for (const h of hours) if (h.hour >= 0 && h.hour < 24) costByHour[h.hour] += h.costMicros;
  let cumulative = 0;
  for (let hour = 0; hour < 24; hour++) {
    cumulative += costByHour[hour];
    if (cumulative > 0 && cumulative >= BUDGET_CAP_SHARE * budgetMicros) return hour + 1;
  }
  return null;
}

/**
 * Pacing of a campaign with a daily budget over the range: `daysAtBudget` (days whose cost
 * reached {@link BUDGET_CAP_SHARE} of the budget; 0 when the budget is 0), `medianExhaustedHour`
 * (median of {@link budgetExhaustedHour} over the capped days that have hourly data; null when
 * none), `utilisation` = period cost / (budget × days in range) (null when the budget is 0).
 * The budget is the one the platform reports now; earlier changes are not known.
 * @param days every day of the range, in order.
 * @param dailyCostMicros the campaign's cost on each of `days` (zeros included), micros.
 * @param hourlyByDay this campaign's hourly cost rows by day (only its capped days are read).
 */
export function budgetPacing(
  budgetMicros: number,
  days: readonly string[],
  dailyCostMicros: readonly number[],
  hourlyByDay: ReadonlyMap<string, readonly HourlyCampaignCost[]>,
): AdBudgetPacing {
  const hours: number[] = [];
  let daysAtBudget = 0;
  let cost = 0;
  for (let i = 0; i < dailyCostMicros.length; i++) {
    cost += dailyCostMicros[i];
    if (!(budgetMicros > 0 && dailyCostMicros[i] >= BUDGET_CAP_SHARE * budgetMicros)) continue;
    daysAtBudget++;
    const rows = hourlyByDay.get(days[i]);
    const hour = rows === undefined || rows.length === 0 ? null : budgetExhaustedHour(budgetMicros, rows);
    if (hour !== null) hours.push(hour);
  }
  return {
    dailyBudgetMicros: budgetMicros,
    daysAtBudget,
    medianExhaustedHour: hours.length === 0 ? null : median(hours),
    utilisation: ratioOrNull(cost, budgetMicros * dailyCostMicros.length),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
