import type { AuditContext } from './audit-context';
import { fetchPage, type PageFetch } from './fetch-page';
import { isSameSite } from './is-same-site';
import type { LinkStatus } from './link-status';
import { mapWithConcurrency } from '@jobs/worker-kit';
import { PageBudget } from './page-budget';
import type { LinkReference, SiteCrawl } from './site-crawl';
import type { SeoPage } from '@jobs/queue-contracts';

/** What to crawl: start URL, link hops from it (0 = the start page only) and the page cap. */
export interface CrawlSiteSettings {
  readonly startUrl: string;
  readonly depth: number;
  readonly maxPages: number;
}

type Step = PageFetch | { readonly kind: 'capped' };

/**
 * Crawls one site breadth-first, a whole depth level at a time (so every URL gets its shortest
 * link distance), following `<a href>` targets on the same site (see `isSameSite`) up to
 * `settings.depth` hops, with `perHostConcurrency` fetches in flight.
 *
 * Counting rules:
 * - A page is an HTML 2xx response or a failing URL (4xx/5xx, no response, too many
 *   redirects, robots.txt of its origin unreachable): a broken URL inside the site is part of
 *   the crawl (the `http-error` issue).
 *   Non-HTML files, redirects out of the site and URLs robots.txt or the guard blocked are not.
 * - URLs are deduplicated by their normalised form (fragment dropped, query kept).
 * - `skipped.beyondDepth`: distinct same-site anchor targets found on pages at the last depth
 *   and reached no other way; `skipped.robotsTxt` / `skipped.refusedAddress`: distinct URLs of
 *   the frontier (or their redirect hops) not fetched because of robots.txt / the address guard;
 *   `skipped.pageCap`: distinct frontier URLs left when `maxPages` pages were recorded.
 *
 * @throws RefusedAddressError when the start URL (or a redirect from it) is refused; the job
 *   signal's reason on abort.
 */
export async function crawlSite(
  settings: CrawlSiteSettings,
  ctx: AuditContext,
): Promise<SiteCrawl> {
  const site = new URL(settings.startUrl);
  site.hash = '';
  const startUrl = site.href;
  const seen = new Set<string>([startUrl]);
  const beyond = new Set<string>();
  const robotsBlocked = new Set<string>();
  const refused = new Set<string>();
  const pages: SeoPage[] = [];
  const pagesByDepth: Record<string, number> = {};
  const links = new Map<string, LinkReference>();
  const resources = new Map<string, LinkReference>();
  const statuses = new Map<string, LinkStatus | null>();
  const budget = new PageBudget(settings.maxPages);
  const concurrency = ctx.options.perHostConcurrency;
  let pageCap = 0;
  let deepestLevel = 0;

  const claim = (finalUrl: string): boolean => {
    if (seen.has(finalUrl)) return false;
    seen.add(finalUrl);
    return true;
  };

  let level = [startUrl];
  for (let depth = 0; level.length > 0; depth += 1) {
    deepestLevel = depth;
    let started = 0;
    const progress = (force: boolean): void =>
      ctx.report(
        {
          phase: 'crawling',
          pagesCrawled: budget.pagesRecorded,
          pagesQueued: level.length - started,
          currentDepth: depth,
          maxPages: settings.maxPages,
        },
        force,
      );
    progress(true);

    const steps = await mapWithConcurrency(level, concurrency, async (url): Promise<Step> => {
      started += 1;
      // Rules first, so a URL robots.txt forbids is counted as such even once the cap is hit.
      const verdict = await ctx.robots.check(new URL(url));
      if (!verdict.allowed && verdict.unreachable === undefined) {
        return { kind: 'robots', status: null, blockedUrl: url };
      }
      if (!(await budget.reserve())) return { kind: 'capped' };
      let isPage = false;
      try {
        const step = await fetchPage(url, { site, depth, ctx, claim });
        if (step.kind === 'refused' && depth === 0) throw step.error;
        isPage = step.kind === 'page';
        return step;
      } finally {
        budget.settle(isPage);
        if (isPage && budget.pagesRecorded % 10 === 0) progress(false);
      }
    });

    const next: string[] = [];
    let capped = false;
    for (const [index, step] of steps.entries()) {
      if (step.kind === 'capped') {
        capped = true;
        pageCap += 1;
        continue;
      }
      statuses.set(level[index], step.status);
      if (step.kind === 'robots') robotsBlocked.add(step.blockedUrl);
      if (step.kind === 'refused') refused.add(step.blockedUrl);
      if (step.kind === 'not-page' && !statuses.has(step.finalUrl)) {
        statuses.set(step.finalUrl, step.status);
      }
      if (step.kind !== 'page') continue;

      const { page } = step;
      pages.push(page);
      pagesByDepth[String(depth)] = (pagesByDepth[String(depth)] ?? 0) + 1;
      if (page.finalUrl !== page.url) statuses.set(page.finalUrl, step.status);
      for (const resource of step.resources) addReference(resources, resource, site, page.finalUrl);
      for (const link of step.links) {
        const internal = addReference(links, link, site, page.finalUrl);
        if (!internal || seen.has(link)) continue;
        if (depth < settings.depth) {
          seen.add(link);
          next.push(link);
        } else {
          beyond.add(link);
        }
      }
    }
    if (capped) {
      // The links of the pages crawled at this level are the frontier the cap cut off too.
      pageCap += next.length;
      break;
    }
    level = next;
  }

  let beyondDepth = 0;
  for (const url of beyond) if (!seen.has(url)) beyondDepth += 1;
  return {
    startUrl,
    pages,
    pagesByDepth,
    skipped: { robotsTxt: robotsBlocked.size, beyondDepth, pageCap, refusedAddress: refused.size },
    pageCapReached: pageCap > 0,
    deepestLevel,
    links,
    resources,
    statuses,
  };
}

/** Records that `target` was found on `pageUrl`; returns whether `target` is on the site. */
function addReference(
  references: Map<string, LinkReference>,
  target: string,
  site: URL,
  pageUrl: string,
): boolean {
  let reference = references.get(target);
  if (!reference) {
    reference = { internal: isSameSite(new URL(target), site), foundOn: new Set() };
    references.set(target, reference);
  }
  reference.foundOn.add(pageUrl);
  return reference.internal;
}
