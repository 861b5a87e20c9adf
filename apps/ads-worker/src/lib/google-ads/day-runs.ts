import type { DayRange } from '../ads-data';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * The given calendar days (`YYYY-MM-DD`, any order, repeats allowed) as the fewest runs of
 * consecutive days, in order: `['2024-01-05', '2024-01-03', '2024-01-04', '2024-01-09']` →
 * `[{ start: '2024-01-03', end: '2024-01-05' }, { start: '2024-01-09', end: '2024-01-09' }]`.
 * The runs cover exactly the days given, never a day between them.
 * @throws RangeError for a value that is not a calendar day.
 */
export function dayRuns(days: readonly string[]): DayRange[] {
  const times = [...new Set(days)].map((d) => {
    const t = DAY.test(d) ? Date.parse(`${d}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== d) throw new RangeError(`not a YYYY-MM-DD day: ${JSON.stringify(d)}`);
    return t;
  });
  times.sort((a, b) => a - b);
  const runs: DayRange[] = [];
  let start = 0;
  for (let i = 1; i <= times.length; i++) {
    if (i < times.length && times[i]! - times[i - 1]! === DAY_MS) continue;
    runs.push({ start: iso(times[start]!), end: iso(times[i - 1]!) });
    start = i;
  }
  return runs;
}

function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
