import { seoIssueKindSchema } from '@jobs/queue-contracts';
import { SEO_ISSUE_SEVERITY } from './seo-issue-severity';
import type { SeoBrokenLink, SeoIssue, SeoIssueKind, SeoPage } from '@jobs/queue-contracts';

/** Most example pages listed per issue (the contract's limit); `count` stays exact. */
const MAX_EXAMPLE_PAGES = 100;
/** Longer titles are cut off in search results (the field's usual 60-character rule). */
const MAX_TITLE_CHARS = 60;

/**
 * Groups the pages' problems by issue kind. Each issue counts affected pages (exactly) and lists
 * up to 100 of them by `finalUrl`, in crawl order; kinds with no affected page are left out and
 * the rest come in the contract's order of kinds.
 *
 * - `http-error`: pages with status >= 400 or none; `redirect-chain`: pages reached through
 *   two or more redirects (any status).
 * - `broken-link` / `broken-resource`: pages a broken link / resource was found on.
 * - Every on-page kind counts only pages that answered 2xx with HTML. Titles are measured in
 *   characters (code points) after whitespace is collapsed; `duplicate-title` and
 *   `duplicate-meta-description` count each page whose non-empty value another page shares.
 */
export function collectIssues(
  pages: readonly SeoPage[],
  brokenLinks: readonly SeoBrokenLink[],
): SeoIssue[] {
  const affected = new Map<SeoIssueKind, string[]>();
  const add = (kind: SeoIssueKind, page: SeoPage): void => {
    const list = affected.get(kind) ?? [];
    list.push(page.finalUrl);
    affected.set(kind, list);
  };

  const withBrokenLink = foundOn(brokenLinks, 'link');
  const withBrokenResource = foundOn(brokenLinks, 'resource');
  const auditable = pages.filter((p) => p.status !== null && p.status >= 200 && p.status < 300);
  const titleUses = countValues(auditable.map((p) => p.title));
  const descriptionUses = countValues(auditable.map((p) => p.metaDescription));

  for (const page of pages) {
    if (page.status === null || page.status >= 400) add('http-error', page);
    if (page.redirectChain.length >= 2) add('redirect-chain', page);
    if (withBrokenLink.has(page.finalUrl)) add('broken-link', page);
    if (withBrokenResource.has(page.finalUrl)) add('broken-resource', page);
  }
  for (const page of auditable) {
    if (page.title === null) add('missing-title', page);
    else if ([...page.title].length > MAX_TITLE_CHARS) add('title-too-long', page);
    if (page.title !== null && (titleUses.get(page.title) ?? 0) > 1) add('duplicate-title', page);
    if (page.metaDescription === null) add('missing-meta-description', page);
    else if ((descriptionUses.get(page.metaDescription) ?? 0) > 1) {
      add('duplicate-meta-description', page);
    }
    if (page.h1Count === 0) add('missing-h1', page);
    if (page.h1Count > 1) add('multiple-h1', page);
    if (page.canonical === null) add('missing-canonical', page);
    if (page.lang === null) add('missing-lang', page);
    if (page.imagesWithoutAlt > 0) add('image-missing-alt', page);
    if (page.noindex) add('noindex', page);
  }

  const issues: SeoIssue[] = [];
  for (const kind of seoIssueKindSchema.options) {
    const urls = affected.get(kind);
    if (!urls) continue;
    issues.push({
      kind,
      severity: SEO_ISSUE_SEVERITY[kind],
      count: urls.length,
      pages: urls.slice(0, MAX_EXAMPLE_PAGES),
    });
  }
  return issues;
}

function foundOn(brokenLinks: readonly SeoBrokenLink[], kind: SeoBrokenLink['kind']): Set<string> {
  const pages = new Set<string>();
  for (const link of brokenLinks) if (link.kind === kind) for (const url of link.foundOn) pages.add(url);
  return pages;
}

function countValues(values: ReadonlyArray<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
