import { z } from 'zod';
import { dateSchema, httpUrlSchema, idSchema } from './common';
import { CONTRACT_LIMITS } from './contract-limits';

/**
 * `SEO_AUDIT` data: crawl `websiteUrl` breadth-first to `depth` link hops (0 = the start page
 * only), same site only, and audit every page reached.
 * - `depth`: 0-20, default 2.
 * - `includeCompetitors`: also audit each of `competitorUrls` shallowly (depth 1) and compare.
 *   Without a list the audit still runs and its result says that no competitors were given.
 * - `websiteUrl`, `competitorUrls`: absolute http(s) URLs of at most 2048 characters;
 *   `competitorUrls`: at most `CONTRACT_LIMITS.MAX_COMPETITOR_URLS` (5).
 * - `maxPages`: lowers the worker's configured page cap for this job; it never raises it.
 */
export const seoAuditDataSchema = z.strictObject({
  userId: idSchema,
  websiteUrl: httpUrlSchema,
  depth: z.number().int().min(0).max(20).default(2),
  includeCompetitors: z.boolean().default(false),
  competitorUrls: z.array(httpUrlSchema).max(CONTRACT_LIMITS.MAX_COMPETITOR_URLS).optional(),
  maxPages: z.number().int().min(1).max(100_000).optional(),
});

/**
 * Kinds of SEO issue the audit reports (the field's usual names).
 * - `http-error`: a crawled page answered 4xx/5xx or could not be fetched.
 * - `broken-link` / `broken-resource`: an `<a href>` / an image, script, stylesheet or other
 *   resource whose target answers 4xx/5xx or cannot be fetched.
 * - `missing-title`, `title-too-long` (over 60 characters), `duplicate-title`.
 * - `missing-meta-description`, `duplicate-meta-description`.
 * - `missing-h1`, `multiple-h1`.
 * - `missing-canonical`, `missing-lang`.
 * - `image-missing-alt`: an `<img>` without an `alt` attribute.
 * - `noindex`: a page kept out of search by `<meta name="robots">` or `X-Robots-Tag`.
 * - `redirect-chain`: reached through two or more redirects.
 */
export const seoIssueKindSchema = z.enum([
  'http-error',
  'broken-link',
  'broken-resource',
  'missing-title',
  'title-too-long',
  'duplicate-title',
  'missing-meta-description',
  'duplicate-meta-description',
  'missing-h1',
  'multiple-h1',
  'missing-canonical',
  'missing-lang',
  'image-missing-alt',
  'noindex',
  'redirect-chain',
]);
/** One of {@link seoIssueKindSchema}'s kinds. */
export type SeoIssueKind = z.infer<typeof seoIssueKindSchema>;

/** How much an issue weighs in the score. */
export const seoSeveritySchema = z.enum(['error', 'warning', 'notice']);

/** One hop of a redirect chain: the URL asked for and the 3xx status it answered with. */
export const redirectHopSchema = z.object({ url: z.string(), status: z.number().int() });

/** What the audit recorded about one crawled page. Times in ms, sizes in bytes (decoded body). */
export const seoPageSchema = z.object({
  url: z.string(),
  finalUrl: z.string(),
  depth: z.number().int().nonnegative(),
  status: z.number().int().nullable(),
  error: z.string().optional(),
  timeMs: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  contentType: z.string().nullable(),
  charset: z.string().nullable(),
  redirectChain: z.array(redirectHopSchema),
  title: z.string().nullable(),
  metaDescription: z.string().nullable(),
  h1Count: z.number().int().nonnegative(),
  canonical: z.string().nullable(),
  lang: z.string().nullable(),
  imagesWithoutAlt: z.number().int().nonnegative(),
  noindex: z.boolean(),
  internalLinks: z.number().int().nonnegative(),
  externalLinks: z.number().int().nonnegative(),
});

/** One issue kind with the pages that show it (`pages` lists at most 100; `count` is exact). */
export const seoIssueSchema = z.object({
  kind: seoIssueKindSchema,
  severity: seoSeveritySchema,
  count: z.number().int().nonnegative(),
  pages: z.array(z.string()),
});

/** A link or resource whose target is missing or failing, with the pages that refer to it. */
export const seoBrokenLinkSchema = z.object({
  url: z.string(),
  kind: z.enum(['link', 'resource']),
  internal: z.boolean(),
  status: z.number().int().nullable(),
  error: z.string().optional(),
  foundOn: z.array(z.string()),
});

/** A competitor's shallow audit, side by side with the main site. */
export const seoCompetitorSchema = z.object({
  url: z.string(),
  score: z.number().nullable(),
  pagesCrawled: z.number().int().nonnegative(),
  issueCounts: z.record(z.string(), z.number().int().nonnegative()),
  error: z.string().optional(),
});

/** `SEO_AUDIT` result. `score` is 0-100; see the seo-worker README for its formula. */
export const seoAuditResultSchema = z.object({
  websiteUrl: z.string(),
  startedAt: dateSchema,
  durationMs: z.number().nonnegative(),
  depth: z.number().int().nonnegative(),
  pagesCrawled: z.number().int().nonnegative(),
  pagesByDepth: z.record(z.string(), z.number().int().nonnegative()),
  pageCapReached: z.boolean(),
  skipped: z.object({
    robotsTxt: z.number().int().nonnegative(),
    beyondDepth: z.number().int().nonnegative(),
    pageCap: z.number().int().nonnegative(),
    refusedAddress: z.number().int().nonnegative(),
    /** Link and resource targets left unchecked once `maxLinkChecks` requests were made. */
    linkCheckCap: z.number().int().nonnegative(),
  }),
  score: z.number().min(0).max(100),
  issues: z.array(seoIssueSchema),
  brokenLinks: z.array(seoBrokenLinkSchema),
  pages: z.array(seoPageSchema),
  competitors: z.object({
    requested: z.boolean(),
    message: z.string(),
    results: z.array(seoCompetitorSchema),
  }),
});

/** Progress the SEO worker reports while it crawls (`job.progress`). */
export const seoAuditProgressSchema = z.object({
  phase: z.enum(['crawling', 'checking-links', 'competitors', 'done']),
  pagesCrawled: z.number().int().nonnegative(),
  pagesQueued: z.number().int().nonnegative(),
  currentDepth: z.number().int().nonnegative(),
  maxPages: z.number().int().nonnegative(),
});

/** `SEO_AUDIT` data as a handler receives it (defaults applied), see `seoAuditDataSchema`. */
export type SeoAuditData = z.output<typeof seoAuditDataSchema>;
/** `SEO_AUDIT` result, see `seoAuditResultSchema`. */
export type SeoAuditResult = z.infer<typeof seoAuditResultSchema>;
/** Progress reported while auditing, see `seoAuditProgressSchema`. */
export type SeoAuditProgress = z.infer<typeof seoAuditProgressSchema>;
/** One crawled page, see `seoPageSchema`. */
export type SeoPage = z.infer<typeof seoPageSchema>;
/** One issue kind with its pages, see `seoIssueSchema`. */
export type SeoIssue = z.infer<typeof seoIssueSchema>;
/** `error` | `warning` | `notice`, see `seoSeveritySchema`. */
export type SeoSeverity = z.infer<typeof seoSeveritySchema>;
/** One broken link or resource, see `seoBrokenLinkSchema`. */
export type SeoBrokenLink = z.infer<typeof seoBrokenLinkSchema>;
/** One competitor's summary, see `seoCompetitorSchema`. */
export type SeoCompetitor = z.infer<typeof seoCompetitorSchema>;
/** One redirect hop `{ url, status }`, see `redirectHopSchema`. */
export type RedirectHop = z.infer<typeof redirectHopSchema>;
