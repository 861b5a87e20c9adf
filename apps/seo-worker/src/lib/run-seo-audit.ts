import { setMaxListeners } from 'node:events';
import type { Logger } from '@jobs/worker-kit';
import { AddressGuard } from '@jobs/net-guard';
import type { AuditContext } from './audit-context';
import { auditCompetitors } from './audit-competitors';
import { auditSite } from './audit-site';
import type { CrawlOptions } from './crawl-options';
import { HttpFetcher } from './http-fetcher';
import { ProgressReporter, type ProgressListener } from './progress-reporter';
import { RobotsPolicy } from './robots-policy';
import type { SeoAuditData, SeoAuditResult } from '@jobs/queue-contracts';

// Listeners are bounded by the tasks in flight: crawl and link-check lanes plus their requests.
const AUDIT_SIGNAL_MAX_LISTENERS = 100;

/** What {@link runSeoAudit} needs besides the job data. */
export interface SeoAuditDeps {
  /** Resolved crawl settings (merge over `DEFAULT_CRAWL_OPTIONS`). */
  readonly options: CrawlOptions;
  readonly log: Logger;
  /** Aborting it stops the audit promptly: in-flight requests are cancelled. */
  readonly signal: AbortSignal;
  /**
   * Progress sink, phases `crawling` → `checking-links` → `competitors` → `done`. Called at
   * the start of each depth level and phase, then about every 10 pages or link checks, at most
   * every 250 ms; calls are serialised and never delay the crawl; errors are logged and ignored.
   */
  readonly onProgress?: ProgressListener;
}

/**
 * Runs the `SEO_AUDIT` job: audits `data.websiteUrl` breadth-first to `data.depth` link hops
 * with at most `min(options.maxPages, data.maxPages)` pages, checks its links and resources,
 * groups issues, scores the site (see `computeSeoScore`) and, when asked, audits competitors.
 * The result matches `seoAuditResultSchema`. Page bodies are parsed and dropped, never kept.
 *
 * Network rules: robots.txt honoured, same site only, no non-public addresses unless
 * `options.allowPrivateNetworks` (SSRF guard, checked at every hop and at connect time).
 *
 * @param data - job data as parsed by `seoAuditDataSchema` (defaults applied).
 * @throws RefusedAddressError when the start URL's host resolves to a non-public address
 *   (permanent: fail the job without retries); the signal's reason (an `AbortError` by
 *   default) when `deps.signal` aborts. Failing pages, links and competitors are reported in
 *   the result, not thrown.
 */
export async function runSeoAudit(data: SeoAuditData, deps: SeoAuditDeps): Promise<SeoAuditResult> {
  const { options, log } = deps;
  deps.signal.throwIfAborted();
  // Every in-flight request and waiting task listens for the abort; they listen on this
  // audit-owned signal (one listener on the caller's), whose listener limit we may raise.
  const controller = new AbortController();
  setMaxListeners(AUDIT_SIGNAL_MAX_LISTENERS, controller.signal);
  const forwardAbort = (): void => controller.abort(deps.signal.reason);
  deps.signal.addEventListener('abort', forwardAbort, { once: true });
  const signal = controller.signal;
  const startedAt = new Date();
  const started = performance.now();
  const guard = new AddressGuard({ allowPrivateNetworks: options.allowPrivateNetworks, allowSetting: 'SEO_ALLOW_PRIVATE_NETWORKS' });
  const fetcher = new HttpFetcher({ options, guard, signal });
  const reporter = new ProgressReporter(deps.onProgress, log);
  const maxPages = Math.min(options.maxPages, data.maxPages ?? Number.POSITIVE_INFINITY);
  const ctx: AuditContext = {
    options,
    log,
    fetcher,
    robots: new RobotsPolicy({ fetcher, userAgent: options.userAgent, log }),
    report: (progress, force) => reporter.report(progress, force),
  };
  try {
    const main = await auditSite({ startUrl: data.websiteUrl, depth: data.depth, maxPages }, ctx);
    const competitors = await auditCompetitors(data, ctx, signal);
    const { crawl } = main;
    reporter.report(
      {
        phase: 'done',
        pagesCrawled: crawl.pages.length,
        pagesQueued: 0,
        currentDepth: crawl.deepestLevel,
        maxPages,
      },
      true,
    );
    await reporter.flush();
    log.info(
      { pagesCrawled: crawl.pages.length, score: main.score, brokenLinks: main.brokenLinks.length },
      'SEO audit finished',
    );
    return {
      websiteUrl: data.websiteUrl,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      depth: data.depth,
      pagesCrawled: crawl.pages.length,
      pagesByDepth: crawl.pagesByDepth,
      pageCapReached: crawl.pageCapReached,
      skipped: { ...crawl.skipped, linkCheckCap: main.linkChecksSkipped },
      score: main.score,
      issues: main.issues,
      brokenLinks: main.brokenLinks,
      pages: crawl.pages,
      competitors,
    };
  } finally {
    deps.signal.removeEventListener('abort', forwardAbort);
    await fetcher.close();
  }
}
