import type { AdAnomaly } from '@jobs/queue-contracts';
import { addDays } from './day-range';
import { robustZScores } from './robust-z-scores';

/** |modified z-score| above which a day is out of band: 3.5, as Iglewicz & Hoaglin (1993) recommend. */
export const ANOMALY_Z_THRESHOLD = 3.5;
/** Fewest days with data a series needs before it is scored (two weeks: a median of fewer is too easily moved). */
export const ANOMALY_MIN_DAYS = 14;
/**
 * Smallest |x − median| / median for a day to count, 0.2 (20 %): a smooth series (an account's
 * total spend) has so small a MAD that a few per cent would score above 3.5, which is not worth a
 * marketer's look. When the median is 0, any non-zero value passes.
 */
export const ANOMALY_MIN_RELATIVE_DEVIATION = 0.2;

/** One day's value of a series. */
export interface SeriesPoint {
  readonly date: string;
  readonly value: number;
}

/** A daily series to examine. */
export interface SeriesToScore {
  /** Null for the account. */
  readonly campaignId: string | null;
  readonly metric: AdAnomaly['metric'];
  /** In date order; days without a value (a CPA without conversions) left out. */
  readonly points: readonly SeriesPoint[];
  /** Days with data (rows from the platform); the series is not scored below {@link ANOMALY_MIN_DAYS}. */
  readonly daysWithData: number;
}

/**
 * The anomalies of one daily series: days whose |modified z-score| exceeds
 * {@link ANOMALY_Z_THRESHOLD} and that lie at least {@link ANOMALY_MIN_RELATIVE_DEVIATION} from
 * the median, grouped into runs of consecutive calendar days with the same direction. Each run
 * gives `expected` = the series' median, `observed` = its value furthest from the median, and
 * `score` = its largest |z| — see `robustZScores` for the score and its rule when the MAD is 0.
 * Empty below {@link ANOMALY_MIN_DAYS} days with data or when every value is the same.
 */
export function seriesAnomalies(series: SeriesToScore): AdAnomaly[] {
  if (series.daysWithData < ANOMALY_MIN_DAYS || series.points.length < ANOMALY_MIN_DAYS) return [];
  const robust = robustZScores(series.points.map((p) => p.value));
  if (!robust) return [];
  const { center, scores } = robust;
  const anomalies: AdAnomaly[] = [];
  let run: { start: number; end: number; direction: 'up' | 'down' } | null = null;
  const close = () => {
    if (run) anomalies.push(toAnomaly(series, center, scores, run.start, run.end, run.direction));
    run = null;
  };
  series.points.forEach((point, i) => {
    const deviation = point.value - center;
    const material = center === 0 ? deviation !== 0 : Math.abs(deviation) >= ANOMALY_MIN_RELATIVE_DEVIATION * Math.abs(center);
    if (!(Math.abs(scores[i]) > ANOMALY_Z_THRESHOLD && material)) return close();
    const direction = deviation > 0 ? 'up' : 'down';
    if (run && run.direction === direction && addDays(series.points[run.end].date, 1) === point.date) {
      run.end = i;
      return;
    }
    close();
    run = { start: i, end: i, direction };
  });
  close();
  return anomalies;
}

function toAnomaly(series: SeriesToScore, center: number, scores: readonly number[], start: number, end: number, direction: 'up' | 'down'): AdAnomaly {
  let furthest = start;
  for (let i = start; i <= end; i++) if (Math.abs(scores[i]) > Math.abs(scores[furthest])) furthest = i;
  return {
    campaignId: series.campaignId,
    metric: series.metric,
    direction,
    startDate: series.points[start].date,
    endDate: series.points[end].date,
    days: end - start + 1,
    expected: center,
    observed: series.points[furthest].value,
    score: Math.abs(scores[furthest]),
  };
}
