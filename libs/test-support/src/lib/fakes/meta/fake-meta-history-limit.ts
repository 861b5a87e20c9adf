/** How far back Graph serves insights: `time_range.since` at most this many months before today. */
export const FAKE_META_HISTORY_MONTHS = 37;

/**
 * The oldest `since` the fake accepts on `today` ('YYYY-MM-DD'): the same day of the month
 * {@link FAKE_META_HISTORY_MONTHS} months earlier, or that month's last day when it is shorter
 * (2027-03-31 → 2024-02-29). Graph's exact cut-off day is not documented (its error reads "cannot
 * be beyond 37 months from the current date"); this is the fake's reading of it.
 * @throws Error when `today` is not 'YYYY-MM-DD'.
 */
export function fakeMetaOldestSince(today: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!match) throw new Error(`fake Meta: today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const months = Number(match[1]) * 12 + (Number(match[2]) - 1) - FAKE_META_HISTORY_MONTHS;
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(Number(match[3]), lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Today ('YYYY-MM-DD') in `timeZone` (an IANA name) by this machine's clock. */
export function fakeMetaTodayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
