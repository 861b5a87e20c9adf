import type { LinkStatus } from './link-status';
import type { SeoAuditResult, SeoPage } from '@jobs/queue-contracts';

/** Where a link or resource target was found; `foundOn` holds page `finalUrl`s, in crawl order. */
export interface LinkReference {
  readonly internal: boolean;
  readonly foundOn: Set<string>;
}

/**
 * What `crawlSite` gathered: the pages in crawl order (depth, then discovery order), counters,
 * every `<a href>` target (`links`) and resource target (`resources`) found on the pages with
 * where it was found (normalised URL keys), and the statuses already learned by the crawl
 * (`statuses`, by normalised URL; `null` = deliberately not requested), which spare the link
 * checker a second request.
 */
export interface SiteCrawl {
  readonly startUrl: string;
  readonly pages: SeoPage[];
  readonly pagesByDepth: Record<string, number>;
  readonly skipped: Omit<SeoAuditResult['skipped'], 'linkCheckCap'>;
  readonly pageCapReached: boolean;
  /** The deepest level crawled, from 0. */
  readonly deepestLevel: number;
  readonly links: Map<string, LinkReference>;
  readonly resources: Map<string, LinkReference>;
  readonly statuses: Map<string, LinkStatus | null>;
}
