import { mean, median, medianAbsoluteDeviation } from 'simple-statistics';

/**
 * 0.6745: the 0.75 quantile of the standard normal distribution, which makes the MAD of normal
 * data comparable with its standard deviation (Iglewicz & Hoaglin 1993, "How to Detect and
 * Handle Outliers", ASQC Basic References in Quality Control vol. 16, § 3).
 */
export const MAD_SCALE = 0.6745;

/**
 * 1.253314 ≈ √(π/2): the ratio of the standard deviation to the mean absolute deviation of a
 * normal distribution; used in place of {@link MAD_SCALE} when the MAD is 0 (more than half the
 * values equal the median), as IBM documents for its modified z score (Cognos Analytics 11.1,
 * "Modified z score": (x − median) / (1.253314 × MeanAD)).
 */
export const MEAN_AD_SCALE = 1.253314;

/** A series' centre and each value's modified z-score, in the order given. */
export interface RobustScores {
  /** The median of the values. */
  readonly center: number;
  readonly scores: readonly number[];
}

/**
 * Modified z-scores of `values`: 0.6745 × (x − median) / MAD, with MAD the median of
 * |x − median| (simple-statistics `median`, `medianAbsoluteDeviation`). When the MAD is 0, the
 * mean absolute deviation around the median stands in: (x − median) / (1.253314 × meanAD).
 * Returns null when every value equals the median (nothing stands out) or `values` is empty.
 */
export function robustZScores(values: readonly number[]): RobustScores | null {
  if (values.length === 0) return null;
  const center = median(values as number[]);
  const mad = medianAbsoluteDeviation(values as number[]);
  if (mad > 0) return { center, scores: values.map((x) => (MAD_SCALE * (x - center)) / mad) };
  const meanAd = mean(values.map((x) => Math.abs(x - center)));
  if (meanAd === 0) return null;
  return { center, scores: values.map((x) => (x - center) / (MEAN_AD_SCALE * meanAd)) };
}
