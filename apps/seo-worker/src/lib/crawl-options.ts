/**
 * Resolved settings of one SEO crawl, passed down from the worker's configuration. All fields are
 * required here; {@link DEFAULT_CRAWL_OPTIONS} holds the documented defaults to merge over.
 *
 * - `maxPages`: most pages one audit records (default 500). A job's `maxPages` can only lower it.
 * - `perHostConcurrency`: most requests in flight to one host name at a time (default 4).
 * - `requestTimeoutMs`: budget of one request, connect to last body byte, per redirect hop
 *   (default 10 000 ms).
 * - `maxResponseBytes`: most decoded body bytes read from one response; the rest is dropped and
 *   the page is marked truncated (default 5 MiB).
 * - `maxRedirects`: most redirects followed from one URL (default 5); one more is an error.
 * - `checkExternalLinks`: also check links and resources on other sites (default false).
 * - `allowPrivateNetworks`: let the crawler reach loopback, private, link-local and other
 *   non-public addresses (default false; tests and on-premises use only).
 * - `userAgent`: the `User-Agent` header, also the name matched against robots.txt groups (its
 *   product token before `/`).
 * - `competitorDepth` / `competitorMaxPages`: depth and page cap of each competitor's audit
 *   (defaults 1 and 20).
 * - `maxLinkChecks`: most link and resource targets one audit requests on top of its pages
 *   (default 5000); the rest are counted in `skipped.linkCheckCap`, so a page-capped audit of
 *   a huge site still makes a bounded number of requests.
 */
export interface CrawlOptions {
  readonly maxPages: number;
  readonly perHostConcurrency: number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  readonly checkExternalLinks: boolean;
  readonly allowPrivateNetworks: boolean;
  readonly userAgent: string;
  readonly competitorDepth: number;
  readonly competitorMaxPages: number;
  readonly maxLinkChecks: number;
}

/**
 * Default {@link CrawlOptions} (frozen): 500 pages, 4 requests per host, 10 000 ms per request,
 * 5 MiB per response, 5 redirects, no external link checks, public addresses only, user agent
 * `SalesJobsSeoAudit/0.1 (+robots)`, competitors at depth 1 with 20 pages each, 5000 link checks.
 */
export const DEFAULT_CRAWL_OPTIONS: Readonly<CrawlOptions> = Object.freeze({
  maxPages: 500,
  perHostConcurrency: 4,
  requestTimeoutMs: 10_000,
  maxResponseBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  checkExternalLinks: false,
  allowPrivateNetworks: false,
  userAgent: 'SalesJobsSeoAudit/0.1 (+robots)',
  competitorDepth: 1,
  competitorMaxPages: 20,
  maxLinkChecks: 5000,
});
