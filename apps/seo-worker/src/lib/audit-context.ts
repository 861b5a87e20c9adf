import type { Logger } from '@jobs/worker-kit';
import type { CrawlOptions } from './crawl-options';
import type { HttpFetcher } from './http-fetcher';
import type { RobotsPolicy } from './robots-policy';
import type { SeoAuditProgress } from '@jobs/queue-contracts';

/**
 * Everything one site audit touches, handed down in one object: the crawl settings, the logger,
 * the network (fetcher with its address guard), the robots.txt policy, and a progress sink
 * (`force` bypasses throttling; see `ProgressReporter`). The main site and its competitors
 * share one context, hence one connection pool, one set of per-host limits and one robots cache.
 */
export interface AuditContext {
  readonly options: CrawlOptions;
  readonly log: Logger;
  readonly fetcher: HttpFetcher;
  readonly robots: RobotsPolicy;
  readonly report: (progress: SeoAuditProgress, force?: boolean) => void;
}
