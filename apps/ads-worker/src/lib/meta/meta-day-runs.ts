import { PermanentJobError } from '@jobs/worker-kit';
import type { DayRange } from '../ads-data';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * The given days ('YYYY-MM-DD', any order, repeats allowed) as the fewest inclusive runs of
 * consecutive days, oldest first: `['2024-01-12', '2024-01-10', '2024-01-13']` →
 * `[{ start: '2024-01-10', end: '2024-01-10' }, { start: '2024-01-12', end: '2024-01-13' }]`.
 * The runs cover exactly the given days, never a day between them: the hourly-cost query asks
 * Meta for those runs only (hourly rows are 24× the daily ones, so a span over unasked days
 * would multiply what is fetched and thrown away).
 * @throws PermanentJobError for a day that is not a valid 'YYYY-MM-DD' calendar date.
 */
export function consecutiveDayRuns(days: readonly string[]): DayRange[] {
  const times = [...new Set(days)].map(dayTime).sort((a, b) => a - b);
  const runs: DayRange[] = [];
  let start: number | undefined;
  let end = 0;
  for (const t of times) {
    if (start !== undefined && t === end + DAY_MS) {
      end = t;
      continue;
    }
    if (start !== undefined) runs.push({ start: isoDay(start), end: isoDay(end) });
    start = t;
    end = t;
  }
  if (start !== undefined) runs.push({ start: isoDay(start), end: isoDay(end) });
  return runs;
}

function dayTime(day: string): number {
  const t = DAY.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (Number.isNaN(t) || isoDay(t) !== day) throw new PermanentJobError(`${JSON.stringify(day)} is not a calendar day (YYYY-MM-DD)`);
  return t;
}

function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
