import type { AuditContext } from './audit-context';
import { auditSite } from './audit-site';
import { describeFetchError } from '@jobs/net-guard';
import type { SeoAuditData, SeoAuditResult, SeoCompetitor, SeoPage } from '@jobs/queue-contracts';

/**
 * The result's `competitors` section:
 * - `includeCompetitors` false: `{ requested: false, results: [] }` and a message saying so
 *   (a `competitorUrls` list is then ignored).
 * - true without URLs: `{ requested: true, results: [] }`, message "No competitor URLs were
 *   given; ...".
 * - true with URLs: each audited in turn (politeness over speed) at `competitorDepth` with
 *   `competitorMaxPages` pages, `{ url, score, pagesCrawled, issueCounts }` each (issue kind →
 *   affected pages). A competitor that cannot be audited gets `error` and `score: null`
 *   instead of failing the job: its address is refused, or its start page gives no HTML page
 *   (unreachable, 4xx/5xx, blocked by robots.txt, not HTML).
 *
 * Progress is reported with phase `competitors` and the current competitor's crawl figures.
 * @throws only the job signal's reason on abort.
 */
export async function auditCompetitors(
  data: Pick<SeoAuditData, 'includeCompetitors' | 'competitorUrls'>,
  ctx: AuditContext,
  signal: AbortSignal,
): Promise<SeoAuditResult['competitors']> {
  if (!data.includeCompetitors) {
    return {
      requested: false,
      message: 'Competitors were not requested (includeCompetitors is false).',
      results: [],
    };
  }
  const urls = data.competitorUrls ?? [];
  if (urls.length === 0) {
    return {
      requested: true,
      message:
        'No competitor URLs were given; pass competitorUrls (up to 5) to compare against competitors.',
      results: [],
    };
  }
  const { options } = ctx;
  const competitorCtx: AuditContext = {
    ...ctx,
    report: (progress, force) => ctx.report({ ...progress, phase: 'competitors' }, force),
  };
  const results: SeoCompetitor[] = [];
  for (const url of urls) {
    signal.throwIfAborted();
    try {
      const audit = await auditSite(
        { startUrl: url, depth: options.competitorDepth, maxPages: options.competitorMaxPages },
        competitorCtx,
      );
      const issueCounts: Record<string, number> = {};
      for (const issue of audit.issues) issueCounts[issue.kind] = issue.count;
      const pagesCrawled = audit.crawl.pages.length;
      const failure = startPageFailure(audit.crawl.pages[0]);
      results.push(
        failure === null
          ? { url, score: audit.score, pagesCrawled, issueCounts }
          : { url, score: null, pagesCrawled, issueCounts, error: failure },
      );
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      ctx.log.warn({ err, competitor: url }, 'competitor audit failed; reporting it and going on');
      const error = describeFetchError(err);
      results.push({ url, score: null, pagesCrawled: 0, issueCounts: {}, error });
    }
  }
  const failed = results.filter((r) => r.error !== undefined).length;
  return {
    requested: true,
    message:
      `Audited ${urls.length} competitor site(s) at depth ${options.competitorDepth}, ` +
      `up to ${options.competitorMaxPages} pages each` +
      (failed > 0 ? `; ${failed} could not be audited (see their error).` : '.'),
    results,
  };
}

/** Why a competitor's start page gives nothing to compare, or `null` when it is a 2xx page. */
function startPageFailure(start: SeoPage | undefined): string | null {
  if (!start) {
    return 'the start page could not be crawled (robots.txt, a redirect off the site, or not HTML)';
  }
  if (start.status === null) {
    return `the start page could not be fetched: ${start.error ?? 'no response'}`;
  }
  if (start.status >= 400) return `the start page answered HTTP ${start.status}`;
  return null;
}
