import type { SeoIssue, SeoSeverity } from '@jobs/queue-contracts';

/** Inputs of {@link computeSeoScore}. */
export interface SeoScoreInput {
  /** The issues found (kind, severity, exact `count` of affected pages). */
  readonly issues: ReadonlyArray<Pick<SeoIssue, 'severity' | 'count'>>;
  /** P: pages crawled (every page record, failing ones included). */
  readonly pagesCrawled: number;
  /** A: pages that answered 2xx with HTML, the ones with on-page content to audit. */
  readonly auditablePages: number;
}

/** Points one issue kind can cost at most, by its severity. */
const SEVERITY_WEIGHT: Readonly<Record<SeoSeverity, number>> = Object.freeze({
  error: 20,
  warning: 8,
  notice: 2,
});

/**
 * The site's SEO score, 0-100 (higher is better), one decimal:
 *
 * ```
 * score = 0                                                    if A = 0 (nothing indexable)
 * score = round1( max(0, 100 − Σ_kinds W(severity) × min(1, count / P)) )   otherwise
 * W(error) = 20, W(warning) = 8, W(notice) = 2
 * ```
 *
 * Each issue kind costs its severity's weight times the share of crawled pages it affects, so a
 * kind on every page costs its full weight and no kind can cost more. 100 means no issues.
 * `round1(x)` = `Math.round(10x) / 10`.
 *
 * Deterministic (a pure function of its input) and monotone: for fixed P and A, raising any
 * `count` or adding an issue never raises the score, because every term is non-decreasing in
 * its count and `max`/`round1` preserve order. The same formula is in apps/seo-worker/SCORING.md.
 *
 * @throws RangeError when a count or page total is negative or not finite.
 */
export function computeSeoScore(input: SeoScoreInput): number {
  const { issues, pagesCrawled, auditablePages } = input;
  for (const value of [pagesCrawled, auditablePages, ...issues.map((i) => i.count)]) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`page totals and issue counts must be finite and >= 0, got ${value}`);
    }
  }
  if (auditablePages === 0 || pagesCrawled === 0) return 0;
  let penalty = 0;
  for (const issue of issues) {
    penalty += SEVERITY_WEIGHT[issue.severity] * Math.min(1, issue.count / pagesCrawled);
  }
  return Math.round(Math.max(0, 100 - penalty) * 10) / 10;
}
