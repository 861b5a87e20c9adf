import type { AuditContext } from './audit-context';
import { fetchWithRedirects, type HopVerdict, type RedirectFetchOutcome } from './fetch-with-redirects';
import { isSameSite } from './is-same-site';
import type { LinkStatus } from './link-status';
import { mapWithConcurrency } from '@jobs/worker-kit';
import type { SeoBrokenLink } from '@jobs/queue-contracts';
import type { SiteCrawl } from './site-crawl';

// Link checks go to many hosts (with checkExternalLinks); the per-host limits inside the
// fetcher still apply, this only bounds the work in flight overall.
const MAX_CHECK_LANES = 16;

/**
 * Checks the link and resource targets the crawl found (at most `maxLinkChecks` requests) and
 * returns the broken ones, with how many targets the cap left unchecked.
 *
 * - Checked: every internal target (anchors beyond the depth limit or the page cap included);
 *   external targets only when `checkExternalLinks`.
 * - Each URL is requested at most once: statuses the crawl already learned are reused (a
 *   crawled page's status is its check), the rest get `HEAD`, repeated as `GET` when the server
 *   answers 405 or 501 (HEAD not supported). Redirects are followed like a browser would, up to
 *   `maxRedirects`, but not out of the site unless `checkExternalLinks`; robots.txt is honoured
 *   for every request and the address guard applies to every hop.
 * - Broken: a final status >= 400, or no response (network error, timeout, too many
 *   redirects). Targets not requested on purpose (robots.txt, refused address, redirects out of
 *   the site) are not reported.
 *
 * Result order: links before resources, each in the order first found; `foundOn` lists page
 * `finalUrl`s in crawl order.
 *
 * @throws only the job signal's reason on abort.
 */
export async function checkLinks(
  crawl: SiteCrawl,
  ctx: AuditContext,
): Promise<{ brokenLinks: SeoBrokenLink[]; skippedByCap: number }> {
  const { options } = ctx;
  const site = new URL(crawl.startUrl);
  const statuses = new Map(crawl.statuses);
  const wanted = new Set<string>();
  for (const references of [crawl.links, crawl.resources]) {
    for (const [url, reference] of references) {
      if ((reference.internal || options.checkExternalLinks) && !statuses.has(url)) wanted.add(url);
    }
  }

  // Bounded: first found, first checked (links before resources, in crawl order).
  const todo = [...wanted].slice(0, options.maxLinkChecks);
  const skippedByCap = wanted.size - todo.length;
  let done = 0;
  const progress = (force: boolean): void =>
    ctx.report(
      {
        phase: 'checking-links',
        pagesCrawled: crawl.pages.length,
        pagesQueued: todo.length - done,
        currentDepth: crawl.deepestLevel,
        maxPages: crawl.pages.length,
      },
      force,
    );
  progress(true);
  const lanes = Math.min(MAX_CHECK_LANES, options.perHostConcurrency * 4);
  await mapWithConcurrency(todo, lanes, async (url) => {
    statuses.set(url, await checkOne(new URL(url), site, ctx));
    done += 1;
    if (done % 10 === 0) progress(false);
  });

  const broken: SeoBrokenLink[] = [];
  const sections = [
    ['link', crawl.links],
    ['resource', crawl.resources],
  ] as const;
  for (const [kind, references] of sections) {
    for (const [url, reference] of references) {
      const status = statuses.get(url);
      if (!status || !isBroken(status)) continue;
      broken.push({
        url,
        kind,
        internal: reference.internal,
        status: status.status,
        ...(status.error === undefined ? {} : { error: status.error }),
        foundOn: [...reference.foundOn],
      });
    }
  }
  return { brokenLinks: broken, skippedByCap };
}

function isBroken(status: LinkStatus): boolean {
  return status.status === null || status.status >= 400;
}

async function checkOne(url: URL, site: URL, ctx: AuditContext): Promise<LinkStatus | null> {
  const { robots, fetcher, options } = ctx;
  if (!(await robots.isAllowed(url))) return null;
  const beforeHop = async (next: URL): Promise<HopVerdict> => {
    if (!options.checkExternalLinks && !isSameSite(next, site)) return 'off-site';
    return (await robots.isAllowed(next)) ? 'follow' : 'robots';
  };
  const request = (method: 'HEAD' | 'GET'): Promise<RedirectFetchOutcome> =>
    fetchWithRedirects(fetcher, url, {
      method,
      maxRedirects: options.maxRedirects,
      beforeHop,
      readBody: () => false,
    });
  let outcome = await request('HEAD');
  const status = outcome.kind === 'response' ? outcome.response.status : null;
  if (status === 405 || status === 501) outcome = await request('GET');
  switch (outcome.kind) {
    case 'response':
      return { status: outcome.response.status };
    case 'failed':
      return { status: null, error: outcome.error };
    case 'stopped':
      if (outcome.reason === 'robots') return null;
      return { status: outcome.chain[outcome.chain.length - 1].status };
    case 'refused':
      return null;
  }
}
