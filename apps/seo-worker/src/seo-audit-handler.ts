import { PermanentJobError, type JobHandler } from '@jobs/worker-kit';
import type { CrawlOptions } from './lib/crawl-options';
import { RefusedAddressError } from './lib/refused-address-error';
import { runSeoAudit } from './lib/run-seo-audit';

/** What the `SEO_AUDIT` handler needs. */
export interface SeoAuditHandlerDeps {
  readonly crawl: Readonly<CrawlOptions>;
}

/**
 * The `SEO_AUDIT` handler: runs the audit with the worker's crawl settings, reporting progress
 * on the job (`{ phase, pagesCrawled, pagesQueued, currentDepth, maxPages }`).
 * A start URL on a refused address fails the job at once (PermanentJobError); an abort (shutdown)
 * propagates so the worker kit hands the job back.
 */
export function createSeoAuditHandler(deps: SeoAuditHandlerDeps): JobHandler<'SEO_AUDIT'> {
  return async ({ data, log, signal, updateProgress }) => {
    try {
      const result = await runSeoAudit(data, {
        options: deps.crawl,
        log,
        signal,
        onProgress: (progress) => updateProgress(progress),
      });
      log.info(
        { pagesCrawled: result.pagesCrawled, score: result.score, brokenLinks: result.brokenLinks.length },
        'audit finished',
      );
      return result;
    } catch (err) {
      if (err instanceof RefusedAddressError) throw new PermanentJobError(err.message, { cause: err });
      throw err;
    }
  };
}
