import type { DayRange } from '../ads-data';

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Milliseconds since the epoch of `day` at 00:00 UTC: calendar arithmetic only, no time zone
 * (a day of the account's zone is still one calendar day).
 * @throws RangeError when `day` is not a real `'YYYY-MM-DD'` date.
 */
function dayToUtcMs(day: string): number {
  const ms = DAY_PATTERN.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`expected a calendar day 'YYYY-MM-DD', got ${JSON.stringify(day)}`);
  }
  return ms;
}

/**
 * The calendar day `n` days after `day` (before, for a negative `n`).
 * @throws RangeError when `day` is not a real `'YYYY-MM-DD'` date.
 */
export function addDays(day: string, n: number): string {
  return new Date(dayToUtcMs(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Every day of an inclusive range, in order.
 * @throws RangeError when a day is malformed or `start` is after `end`.
 */
export function daysOfRange(range: DayRange): string[] {
  const start = dayToUtcMs(range.start);
  const end = dayToUtcMs(range.end);
  if (start > end) throw new RangeError(`range start ${range.start} is after its end ${range.end}`);
  const days: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

/**
 * The period compared with `range`: as many days, ending the day before `range.start`
 * (2024-01-01..2024-01-31 → 2023-12-01..2023-12-31).
 * @throws RangeError as {@link daysOfRange}.
 */
export function previousPeriod(range: DayRange): DayRange {
  const length = daysOfRange(range).length;
  return { start: addDays(range.start, -length), end: addDays(range.start, -1) };
}
