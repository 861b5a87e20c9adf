import type { AuditContext } from './audit-context';
import { checkLinks } from './check-links';
import { collectIssues } from './collect-issues';
import { computeSeoScore } from './compute-seo-score';
import { crawlSite, type CrawlSiteSettings } from './crawl-site';
import type { SeoBrokenLink, SeoIssue } from '@jobs/queue-contracts';
import type { SiteCrawl } from './site-crawl';

/** One site's finished audit: the crawl, its broken links, issues and score. */
export interface SiteAudit {
  readonly crawl: SiteCrawl;
  readonly brokenLinks: SeoBrokenLink[];
  /** Targets left unchecked by `maxLinkChecks`. */
  readonly linkChecksSkipped: number;
  readonly issues: SeoIssue[];
  /** 0-100, see `computeSeoScore`. */
  readonly score: number;
}

/**
 * Audits one site: crawl (`crawlSite`), check the links and resources found (`checkLinks`),
 * group issues (`collectIssues`) and score them (`computeSeoScore`). Used for the main site and
 * for each competitor.
 *
 * @throws RefusedAddressError when the start URL is refused; the job signal's reason on abort.
 */
export async function auditSite(
  settings: CrawlSiteSettings,
  ctx: AuditContext,
): Promise<SiteAudit> {
  const crawl = await crawlSite(settings, ctx);
  const { brokenLinks, skippedByCap } = await checkLinks(crawl, ctx);
  const issues = collectIssues(crawl.pages, brokenLinks);
  const auditablePages = crawl.pages.filter(
    (p) => p.status !== null && p.status >= 200 && p.status < 300,
  ).length;
  const score = computeSeoScore({ issues, pagesCrawled: crawl.pages.length, auditablePages });
  return { crawl, brokenLinks, linkChecksSkipped: skippedByCap, issues, score };
}
