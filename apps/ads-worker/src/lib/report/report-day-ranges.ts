/** An inclusive range of calendar days, `'YYYY-MM-DD'` each (the account's days). */
export interface ReportDayRange {
  readonly start: string;
  readonly end: string;
}

const DAY_MS = 86_400_000;

/** `'1 day'`, `'0 days'`, `'31 days'`: a count of days in words, singular for exactly one. */
export function dayCount(days: number): string {
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

/**
 * Days in an inclusive range, both ends counted (`start === end` is 1 day).
 * @throws nothing; a range with `end` before `start` gives 0 or less.
 */
export function daysInRange(range: ReportDayRange): number {
  return Math.round((Date.parse(range.end) - Date.parse(range.start)) / DAY_MS) + 1;
}

/** `'2024-01-01 – 2024-01-31'` (en dash), or the one day alone when `start === end`. */
export function rangeText(range: ReportDayRange): string {
  return range.start === range.end ? range.start : `${range.start} – ${range.end}`;
}

/** {@link rangeText} with its length: `'2024-01-01 – 2024-01-31 (31 days)'`, `'2024-02-01 (1 day)'`. */
export function rangeWithDays(range: ReportDayRange): string {
  return `${rangeText(range)} (${dayCount(daysInRange(range))})`;
}
