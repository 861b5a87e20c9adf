import type { SyntheticAdAccount } from './synthetic-ad-accounts';
import { syntheticDay } from './synthetic-day';

/**
 * Share of an ordinary day's spend by hour of the account's day (0–23): quiet at night, busiest
 * in the evening. Relative weights; they need not sum to anything.
 */
const DAY_SHAPE: readonly number[] = Object.freeze([
  1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 6, 6, 5, 5, 5, 6, 7, 8, 8, 6, 4, 2,
]);
const CENT_MICROS = 10_000;

/**
 * One campaign's cost by hour of one day: 24 values in micros (whole cents) summing exactly to
 * {@link syntheticDay}'s `costMicros`. An ordinary day follows a fixed day shape; a
 * `budget-exhausted-by-noon` campaign spends its budget evenly over the hours before `hour`
 * (hours 0–11 for `hour` 12: the budget is reached by 12:00) and nothing after.
 */
export function syntheticHourlyCost(account: SyntheticAdAccount, campaignId: string, date: string): readonly number[] {
  const { costMicros } = syntheticDay(account, campaignId, date);
  const exhausted = account.faults.find((f) => f.kind === 'budget-exhausted-by-noon' && f.campaignId === campaignId);
  const weights = exhausted && exhausted.kind === 'budget-exhausted-by-noon' ? DAY_SHAPE.map((_, hour) => (hour < exhausted.hour ? 1 : 0)) : DAY_SHAPE;
  return Object.freeze(spreadCents(costMicros / CENT_MICROS, weights).map((cents) => cents * CENT_MICROS));
}

/** Whole `cents` over the weights: floors first, then one cent each to the largest remainders (earlier hour first on ties). */
function spreadCents(cents: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (cents * w) / total);
  const out = exact.map(Math.floor);
  let left = cents - out.reduce((sum, c) => sum + c, 0);
  const order = exact.map((value, hour) => ({ hour, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest || a.hour - b.hour);
  for (const { hour } of order) {
    if (left <= 0) break;
    if (weights[hour] === 0) continue;
    out[hour] += 1;
    left -= 1;
  }
  return out;
}
