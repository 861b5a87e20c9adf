import type { DayRange } from '../lib/ads-data';
import { previousPeriod } from '../lib/analysis/day-range';

/** The job's period and the one it is compared with, as calendar days of the ad account. */
export interface JobDayRanges {
  readonly range: DayRange;
  readonly previousRange: DayRange;
}

/**
 * The job's `dateRange` (Dates at 00:00 UTC, as the contract parses them) as `'YYYY-MM-DD'`
 * days, taken as they are: the day named is the ad account's own day (the platforms report by
 * the account's time zone), so no time zone shift is applied. The previous period has as many
 * days and ends the day before `start`.
 */
export function jobDayRanges(dateRange: { readonly start: Date; readonly end: Date }): JobDayRanges {
  const range = { start: dateRange.start.toISOString().slice(0, 10), end: dateRange.end.toISOString().slice(0, 10) };
  return { range, previousRange: previousPeriod(range) };
}
