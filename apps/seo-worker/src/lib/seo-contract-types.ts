import type { z } from 'zod';
import type {
  redirectHopSchema,
  seoAuditDataSchema,
  seoAuditProgressSchema,
  seoAuditResultSchema,
  seoBrokenLinkSchema,
  seoCompetitorSchema,
  seoIssueKindSchema,
  seoIssueSchema,
  seoPageSchema,
  seoSeveritySchema,
} from '@jobs/queue-contracts';

/**
 * The `SEO_AUDIT` contract's types, inferred from its zod schemas in `queue-contracts` (the only
 * shared truth). Kept in one place so the later switch to the `@jobs/queue-contracts` alias is a
 * one-file change.
 */
export type SeoAuditData = z.output<typeof seoAuditDataSchema>;
/** `SEO_AUDIT` result, see `seoAuditResultSchema`. */
export type SeoAuditResult = z.infer<typeof seoAuditResultSchema>;
/** Progress reported while auditing, see `seoAuditProgressSchema`. */
export type SeoAuditProgress = z.infer<typeof seoAuditProgressSchema>;
/** One crawled page, see `seoPageSchema`. */
export type SeoPage = z.infer<typeof seoPageSchema>;
/** One issue kind with its pages, see `seoIssueSchema`. */
export type SeoIssue = z.infer<typeof seoIssueSchema>;
/** One of the issue kinds, see `seoIssueKindSchema`. */
export type SeoIssueKind = z.infer<typeof seoIssueKindSchema>;
/** `error` | `warning` | `notice`, see `seoSeveritySchema`. */
export type SeoSeverity = z.infer<typeof seoSeveritySchema>;
/** One broken link or resource, see `seoBrokenLinkSchema`. */
export type SeoBrokenLink = z.infer<typeof seoBrokenLinkSchema>;
/** One competitor's summary, see `seoCompetitorSchema`. */
export type SeoCompetitor = z.infer<typeof seoCompetitorSchema>;
/** One redirect hop `{ url, status }`, see `redirectHopSchema`. */
export type RedirectHop = z.infer<typeof redirectHopSchema>;
