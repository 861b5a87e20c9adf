import type { SeoIssueKind, SeoSeverity } from '@jobs/queue-contracts';

/**
 * How much each issue kind weighs (frozen). `error`: the page or its links fail for visitors
 * and search engines (`http-error`, `broken-link`, `broken-resource`, `missing-title`).
 * `warning`: hurts how the page ranks or is shown (`title-too-long`, `duplicate-title`,
 * `missing-meta-description`, `missing-h1`, `image-missing-alt`, `noindex`, `redirect-chain`).
 * `notice`: worth a look, often harmless (`duplicate-meta-description`, `multiple-h1`,
 * `missing-canonical`, `missing-lang`). Weights of the severities: see `computeSeoScore`.
 */
export const SEO_ISSUE_SEVERITY: Readonly<Record<SeoIssueKind, SeoSeverity>> = Object.freeze({
  'http-error': 'error',
  'broken-link': 'error',
  'broken-resource': 'error',
  'missing-title': 'error',
  'title-too-long': 'warning',
  'duplicate-title': 'warning',
  'missing-meta-description': 'warning',
  'duplicate-meta-description': 'notice',
  'missing-h1': 'warning',
  'multiple-h1': 'notice',
  'missing-canonical': 'notice',
  'missing-lang': 'notice',
  'image-missing-alt': 'warning',
  noindex: 'warning',
  'redirect-chain': 'warning',
});
