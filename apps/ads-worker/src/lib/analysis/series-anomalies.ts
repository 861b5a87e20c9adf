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
 * Longest gap, in calendar days, between two out-of-band days of the same direction that can
 * still leave them in one anomaly: 7 (a week). A level shift (a campaign stopping, seen in the
 * account's total) puts a long stretch of days just around the threshold, and noise drops a day
 * or two of it back inside the band here and there; without merging one change is listed as
 * dozens of pieces (QA: 38 for one stop over a year). A gap is bridged only when it is also no
 * longer than the run so far has out-of-band days (see `seriesAnomalies`), so a short spike and
 * another change a few days later stay two anomalies.
 */
export const ANOMALY_MERGE_GAP_DAYS = 7;

/**
 * The anomalies of one daily series: days whose |modified z-score| exceeds
 * {@link ANOMALY_Z_THRESHOLD} and that lie at least {@link ANOMALY_MIN_RELATIVE_DEVIATION} from
 * the median, grouped into runs of the same direction. An out-of-band day joins the run before it
 * when the days between them (calendar days, in band or without a value) are at most
 * {@link ANOMALY_MERGE_GAP_DAYS} and at most the run's out-of-band days so far: a gap of a day
 * or two inside a lasting change is noise, a gap as long as the change is not. An out-of-band day
 * of the other direction ends a run. Each run gives `startDate`/`endDate` = its first and last out-of-band day, `days`
 * = how many of its days were out of band (`endDate − startDate + 1` when it has no gap),
 * `expected` = the series' median, `observed` = its value furthest from the median, and `score` =
 * its largest |z| — see `robustZScores` for the score and its rule when the MAD is 0.
 * Empty below {@link ANOMALY_MIN_DAYS} days with data or when every value is the same.
 */
export function seriesAnomalies(series: SeriesToScore): AdAnomaly[] {
  if (series.daysWithData < ANOMALY_MIN_DAYS || series.points.length < ANOMALY_MIN_DAYS) return [];
  const robust = robustZScores(series.points.map((p) => p.value));
  if (!robust) return [];
  const { center, scores } = robust;
  const anomalies: AdAnomaly[] = [];
  let run: Run | null = null;
  const close = () => {
    if (run) anomalies.push(toAnomaly(series, center, scores, run));
    run = null;
  };
  series.points.forEach((point, i) => {
    const deviation = point.value - center;
    const material = center === 0 ? deviation !== 0 : Math.abs(deviation) >= ANOMALY_MIN_RELATIVE_DEVIATION * Math.abs(center);
    if (!(Math.abs(scores[i]) > ANOMALY_Z_THRESHOLD && material)) return;
    const direction = deviation > 0 ? 'up' : 'down';
    const bridged = run ? Math.min(ANOMALY_MERGE_GAP_DAYS, run.flagged) : 0;
    if (run && run.direction === direction && point.date <= addDays(series.points[run.end].date, bridged + 1)) {
      run.end = i;
      run.flagged++;
      if (Math.abs(scores[i]) > Math.abs(scores[run.furthest])) run.furthest = i;
      return;
    }
    close();
    run = { start: i, end: i, direction, flagged: 1, furthest: i };
  });
  close();
  return anomalies;
}

/** A run being built: indices of its first and last out-of-band point, how many there were, and the furthest out. */
interface Run {
  start: number;
  end: number;
  direction: 'up' | 'down';
  flagged: number;
  furthest: number;
}

function toAnomaly(series: SeriesToScore, center: number, scores: readonly number[], run: Run): AdAnomaly {
  return {
    campaignId: series.campaignId,
    metric: series.metric,
    direction: run.direction,
    startDate: series.points[run.start].date,
    endDate: series.points[run.end].date,
    days: run.flagged,
    expected: center,
    observed: series.points[run.furthest].value,
    score: Math.abs(scores[run.furthest]),
  };
}
