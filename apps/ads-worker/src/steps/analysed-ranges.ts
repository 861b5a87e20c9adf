import { PermanentJobError } from '@jobs/worker-kit';
import { DateTime } from 'luxon';
import type { AdAccountInfo, DayRange } from '../lib/ads-data';
import { addDays, daysOfRange, previousPeriod } from '../lib/analysis/day-range';
import { META_INSIGHTS_HISTORY_MONTHS, metaOldestDay } from './meta-insights-history';

/** The days the analysis reads, after the cuts of {@link analysedRanges}. */
export interface AnalysedRanges {
  /** The days analysed: the job's `dateRange`, cut at yesterday (and, for Meta, at its history). */
  readonly range: DayRange;
  /**
   * The period compared with `range`: as many days, ending the day before `range.start`; for
   * Meta cut at its history's oldest day. When `previousFetched` is false it lies wholly beyond
   * that history: it is named here but not asked for (the result's `previousTotals` is null).
   */
  readonly previousRange: DayRange;
  readonly previousFetched: boolean;
  /** What was changed about the request, in words, for the result's `notes`. */
  readonly notes: readonly string[];
  /**
   * The one of `notes` saying the previous period was cut (changes compare fewer days), or null:
   * replaced when that period then brings no data at all (nothing is compared).
   */
  readonly previousCutNote: string | null;
}

/**
 * The days one job analyses, once the account's time zone is known (`getAccount`):
 * - "today" is `now` in `account.timeZone` (UTC when the zone is unknown to this runtime, with a
 *   note); today and later days are incomplete or yet to come (zero-filled they would look like
 *   a stop in spending), so the range ends at yesterday at the latest, with a note;
 * - Meta only (see {@link META_INSIGHTS_HISTORY_MONTHS}): a range starting before Meta's oldest
 *   day (`metaOldestDay`) starts there instead, with a note;
 * - the previous period has the analysed range's length (`previousPeriod`); for Meta it is cut at
 *   the oldest day, or not fetched when it lies wholly before it, with a note either way.
 * @param jobRange the job's `dateRange` as calendar days (`jobDayRange`).
 * @param now the current instant, or a day 'YYYY-MM-DD' (`ADS_AS_OF_DATE`) taken as today in
 *   the account's time zone whatever the zone.
 * @throws RangeError when `now` is a string that is not a calendar day.
 * @throws PermanentJobError naming `dateRange` when the whole range is today or later, and
 *   naming `dateRange.start` when a Meta range lies wholly before Meta's oldest day.
 */
export function analysedRanges(jobRange: DayRange, account: Pick<AdAccountInfo, 'platform' | 'timeZone'>, now: Date | string): AnalysedRanges {
  const notes: string[] = [];
  let today: DateTime;
  if (typeof now === 'string') {
    today = DateTime.fromISO(now, { zone: 'UTC' });
    if (!today.isValid) throw new RangeError(`as-of day must be 'YYYY-MM-DD', got ${JSON.stringify(now.slice(0, 40))}`);
  } else {
    today = DateTime.fromJSDate(now, { zone: account.timeZone });
    if (!today.isValid) {
      notes.push(`The account's time zone ${JSON.stringify(account.timeZone.slice(0, 64))} is unknown here; "today" was taken in UTC.`);
      today = DateTime.fromJSDate(now, { zone: 'UTC' });
    }
  }
  const todayDay = today.toISODate() ?? '';
  const yesterday = addDays(todayDay, -1);
  if (jobRange.start > yesterday) {
    throw new PermanentJobError(
      `dateRange (${jobRange.start}..${jobRange.end}) has no complete day yet: today is ${todayDay} in the ad account's time zone ${account.timeZone}; ask for days up to ${yesterday}`,
    );
  }
  let range: DayRange = jobRange;
  if (range.end > yesterday) {
    range = { start: range.start, end: yesterday };
    notes.push(`Analysed up to ${yesterday}: ${daysText(todayDay, jobRange.end, ` (today in ${account.timeZone})`)} not complete yet.`);
  }
  const oldest = account.platform === 'meta' ? metaOldestDay(today) : null;
  if (oldest !== null && range.start < oldest) {
    if (range.end < oldest) {
      throw new PermanentJobError(
        `dateRange.start (${jobRange.start}) and the whole range are older than Meta keeps insights (${META_INSIGHTS_HISTORY_MONTHS} months: nothing before ${oldest}); ask for days from ${oldest} on`,
      );
    }
    range = { start: oldest, end: range.end };
    notes.push(`Analysed from ${oldest}: Meta keeps insights for ${META_INSIGHTS_HISTORY_MONTHS} months, so ${daysText(jobRange.start, addDays(oldest, -1))} not available.`);
  }
  let previousRange = previousPeriod(range);
  let previousFetched = true;
  let previousCutNote: string | null = null;
  if (oldest !== null && previousRange.start < oldest) {
    if (previousRange.end < oldest) {
      previousFetched = false;
      notes.push(`No comparison with the previous period (${previousRange.start}..${previousRange.end}): it is older than the ${META_INSIGHTS_HISTORY_MONTHS} months Meta keeps.`);
    } else {
      const full = daysOfRange(previousRange).length;
      previousRange = { start: oldest, end: previousRange.end };
      previousCutNote = `The previous period was cut to ${oldest}..${previousRange.end} (${daysOfRange(previousRange).length} of ${full} days: Meta keeps ${META_INSIGHTS_HISTORY_MONTHS} months), so changes compare totals over fewer days.`;
      notes.push(previousCutNote);
    }
  }
  return { range, previousRange, previousFetched, notes, previousCutNote };
}

/** `'the day X is'` when `start === end`, else `'the days from X to Y are'` (`startNote` follows the first day). */
function daysText(start: string, end: string, startNote = ''): string {
  return start === end ? `the day ${start}${startNote} is` : `the days from ${start}${startNote} to ${end} are`;
}
