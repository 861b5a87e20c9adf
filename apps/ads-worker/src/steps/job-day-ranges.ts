import type { DayRange } from '../lib/ads-data';

/**
 * The job's `dateRange` (Dates at 00:00 UTC, as the contract parses them) as `'YYYY-MM-DD'`
 * days, taken as they are: the day named is the ad account's own day (the platforms report by
 * the account's time zone), so no time zone shift is applied. What is analysed (cut at yesterday,
 * Meta's history, the previous period) is decided once the account is known: `analysedRanges`.
 */
export function jobDayRange(dateRange: { readonly start: Date; readonly end: Date }): DayRange {
  return { start: dateRange.start.toISOString().slice(0, 10), end: dateRange.end.toISOString().slice(0, 10) };
}
