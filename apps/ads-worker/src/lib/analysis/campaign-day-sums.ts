import type { DailyCampaignMetrics, DayRange } from '../ads-data';
import { addInto, emptySums, type MutableMetricSums } from './metric-sums';

/** Summed metrics by campaign id, then by day (`'YYYY-MM-DD'`); days without rows are absent. */
export type CampaignDaySums = Map<string, Map<string, MutableMetricSums>>;

/**
 * Rows grouped by campaign and day; two rows for the same campaign and day are added together
 * (one accumulator per campaign and day, added to in place).
 * @throws RangeError when a row's day is outside `range` (a client asked for, or returned, the
 *   wrong days) or a sum leaves the safe integers (see `addSums`).
 */
export function campaignDaySums(rows: readonly DailyCampaignMetrics[], range: DayRange): CampaignDaySums {
  const out: CampaignDaySums = new Map();
  for (const row of rows) {
    if (!(row.date >= range.start && row.date <= range.end)) {
      throw new RangeError(`a metrics row of campaign ${row.campaignId} is dated ${row.date}, outside ${range.start}..${range.end}`);
    }
    let byDay = out.get(row.campaignId);
    if (!byDay) out.set(row.campaignId, (byDay = new Map()));
    const sums = byDay.get(row.date);
    if (sums) addInto(sums, row);
    else byDay.set(row.date, addInto(emptySums(), row));
  }
  return out;
}
