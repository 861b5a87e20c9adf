import { DateTime } from 'luxon';

/**
 * Opening hours in a time zone, as a definition's `wait.businessHours` gives them.
 *
 * - `timeZone`: an IANA zone name, e.g. `Europe/Berlin`.
 * - `days`: ISO weekdays the hours start on, 1 = Monday .. 7 = Sunday (at least one).
 * - `start`, `end`: local wall-clock times `HH:MM` (24 h); `end` may be `24:00`. When `end` is
 *   not after `start` the hours run past midnight into the next day (`22:00`-`06:00`).
 */
export interface BusinessHours {
  readonly timeZone: string;
  readonly days: readonly number[];
  readonly start: string;
  readonly end: string;
}

interface LocalDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const MINUTE_MS = 60_000;
const MINUTES_PER_DAY = 1440;
// Longest DST jump of any zone is 2 h (historic double summer time); 3 h brackets it.
const GAP_SEARCH_MS = 3 * 3_600_000;

/**
 * The first moment at or after `atMs` that lies inside the business hours: `atMs` itself when it
 * is inside, else the next opening time. Computed on the zone's wall clock (luxon, IANA data),
 * so days that gain or lose an hour to daylight saving time open at the right instant.
 *
 * Wall-clock times that a DST change skips open at the change (a `02:30` start on a spring-forward
 * night opens at 03:00); times it repeats open at their first occurrence. A window is
 * `[start, end)`: at `end` exactly the hours are closed.
 *
 * @param atMs - ms since the epoch.
 * @param hours - see {@link BusinessHours}.
 * @returns ms since the epoch, >= `atMs`.
 * @throws RangeError for an unknown time zone, an empty `days`, a day outside 1-7, or a time that
 *   is not `HH:MM`.
 */
export function snapToBusinessHours(atMs: number, hours: BusinessHours): number {
  const zone = hours.timeZone;
  const local = DateTime.fromMillis(atMs, { zone });
  if (!local.isValid) throw new RangeError(`businessHours.timeZone: ${local.invalidExplanation ?? `unknown time zone ${zone}`}`);
  if (hours.days.length === 0 || hours.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new RangeError(`businessHours.days: ${JSON.stringify(hours.days)} must list ISO weekdays 1 (Monday) to 7 (Sunday)`);
  }
  const startMinute = minuteOfDay(hours.start, 'start', false);
  const endMinute = minuteOfDay(hours.end, 'end', true);
  const days = new Set(hours.days);
  // Yesterday's hours may run past midnight into today; a week and a day ahead always holds an opening.
  for (let offset = -1; offset <= 8; offset += 1) {
    const day = local.startOf('day').plus({ days: offset });
    if (!days.has(day.weekday)) continue;
    const open = instantAtOrAfter(day, startMinute, zone);
    const close = instantAtOrAfter(endMinute > startMinute ? day : day.plus({ days: 1 }), endMinute, zone);
    if (atMs >= open && atMs < close) return atMs;
    if (open > atMs) return open;
  }
  // Unreachable: `days` is non-empty, so some day in the next eight opens after `atMs`.
  throw new RangeError('businessHours: no opening time found');
}

/** `HH:MM` as minutes since midnight; `24:00` only where `allowMidnightEnd`. */
function minuteOfDay(text: string, field: 'start' | 'end', allowMidnightEnd: boolean): number {
  if (allowMidnightEnd && text === '24:00') return MINUTES_PER_DAY;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new RangeError(`businessHours.${field}: ${JSON.stringify(text)} is not a time HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The first instant whose wall-clock time in `zone` is at or after `minute` (since midnight) on
 * `date` (a local day in `zone`).
 */
function instantAtOrAfter(date: DateTime, minute: number, zone: string): number {
  if (minute === MINUTES_PER_DAY) return instantAtOrAfter(date.plus({ days: 1 }), 0, zone);
  const wanted: LocalDay = { year: date.year, month: date.month, day: date.day };
  const hour = Math.floor(minute / 60);
  const dt = DateTime.fromObject({ ...wanted, hour, minute: minute % 60 }, { zone });
  if (dt.hour === hour && dt.minute === minute % 60) {
    // A wall time that a DST change repeats has two instants; the earlier one comes first.
    return Math.min(...dt.getPossibleOffsets().map((d) => d.toMillis()));
  }
  // Skipped by a DST change: luxon moved it past the gap. The first instant at or after the wanted
  // wall time is the change itself: search for it minute by minute (binary search).
  const isAtOrAfter = (t: number): boolean => {
    const at = DateTime.fromMillis(t, { zone });
    const dayOrder = at.toFormat('yyyy-MM-dd').localeCompare(date.toFormat('yyyy-MM-dd'));
    return dayOrder > 0 || (dayOrder === 0 && at.hour * 60 + at.minute >= minute);
  };
  let lo = dt.toMillis() - GAP_SEARCH_MS; // before the change
  let hi = dt.toMillis(); // after it
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (isAtOrAfter(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
