import type { DateTime } from 'luxon';

/**
 * How far back Meta's Ads Insights API answers: a `time_range.since` more than 37 months before
 * the current date is refused with Graph error #3018 ("The start date of the time range cannot
 * be beyond 37 months from the current date"; Marketing API, Insights API limits, and
 * `date_preset=maximum` "returns a maximum of 37 months of data").
 */
export const META_INSIGHTS_HISTORY_MONTHS = 37;

/**
 * The oldest day Meta's insights are asked for, given the account's `today`: `today` less
 * {@link META_INSIGHTS_HISTORY_MONTHS} months, plus one day of margin (Meta does not say whether
 * the boundary day itself is allowed, nor in which zone it counts), as `'YYYY-MM-DD'`.
 */
export function metaOldestDay(today: DateTime): string {
  return today.minus({ months: META_INSIGHTS_HISTORY_MONTHS }).plus({ days: 1 }).toISODate() ?? '';
}
