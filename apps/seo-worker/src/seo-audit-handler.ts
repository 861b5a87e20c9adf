import { PermanentJobError, type JobHandler } from '@jobs/worker-kit';
import type { CrawlOptions } from './lib/crawl-options';
import { RefusedAddressError } from '@jobs/net-guard';
import { SiteUnavailableError } from './site-unavailable-error';

/** What the `SEO_AUDIT` handler needs. */
export interface SeoAuditHandlerDeps {
  readonly crawl: Readonly<CrawlOptions>;
}

/**
 * The `SEO_AUDIT` handler: runs the audit with the worker's crawl settings, reporting progress
 * on the job (`{ phase, pagesCrawled, pagesQueued, currentDepth, maxPages }`).
 * A start URL on a refused address fails the job at once (PermanentJobError); a start page that
 * cannot be fetched for a passing reason (network error, 429, 5xx) throws SiteUnavailableError,
 * retried with the job's backoff; an abort (shutdown) propagates so the worker kit hands the
 * job back. A start page answering 4xx is an audit result (score 0), not an error.
 */
export function createSeoAuditHandler(deps: SeoAuditHandlerDeps): JobHandler<'SEO_AUDIT'> {
  return async ({ data, log, signal, updateProgress }) => {
    try {
      // Loaded with the first audit, not at start: the crawler's packages (cheerio, undici,
      // parse5, the encodings) are most of an idle worker's memory (P6 in `npm run bench`).
      const { runSeoAudit } = await import('./lib/run-seo-audit');
      const result = await runSeoAudit(data, {
        options: deps.crawl,
        log,
        signal,
        onProgress: (progress) => updateProgress(progress),
      });
      const start = result.pages.find((page) => page.depth === 0);
      if (start && (start.status === null || start.status === 429 || start.status >= 500)) {
        throw new SiteUnavailableError(
          `${data.websiteUrl} could not be fetched (${start.error ?? `HTTP ${start.status}`}); the audit is retried with backoff`,
        );
      }
      return result;
    } catch (err) {
      if (err instanceof RefusedAddressError) throw new PermanentJobError(err.message, { cause: err });
      throw err;
    }
  };
}
