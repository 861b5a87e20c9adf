import type { z } from 'zod';
import type { seoAuditProgressSchema } from '@jobs/queue-contracts';

type Progress = z.infer<typeof seoAuditProgressSchema>;

/** One line describing an SEO audit's progress, e.g. `crawling depth 2: 57 pages, 120 queued`. */
export function progressLine(p: Progress): string {
  switch (p.phase) {
    case 'crawling':
      return `crawling depth ${p.currentDepth}: ${p.pagesCrawled} page(s) crawled, ${p.pagesQueued} queued (cap ${p.maxPages})`;
    case 'checking-links':
      return `checking links and resources: ${p.pagesCrawled} page(s) crawled`;
    case 'competitors':
      return 'auditing competitors';
    case 'done':
      return `done: ${p.pagesCrawled} page(s) crawled`;
  }
}
