import type { SeoAuditResult } from '@jobs/queue-contracts';

/** Options of {@link formatAuditSummary}. */
export interface SummaryOptions {
  /** Rows per list (issues' example pages, broken links); default 5. */
  readonly listLimit?: number;
}

/**
 * Renders an SEO audit result as a short plain-text report for a terminal: score, pages by
 * depth, skipped counts, issues by severity with example pages, broken links and competitors.
 */
export function formatAuditSummary(result: SeoAuditResult, options: SummaryOptions = {}): string {
  const limit = options.listLimit ?? 5;
  const out: string[] = [];
  const severityOrder = { error: 0, warning: 1, notice: 2 } as const;
  const ok = result.pages.filter((p) => p.status !== null && p.status >= 200 && p.status < 300).length;

  out.push(`SEO audit of ${result.websiteUrl}`);
  out.push(`  score            ${result.score} / 100`);
  out.push(
    `  pages crawled    ${result.pagesCrawled} (${ok} answered 2xx) to depth ${result.depth} in ${(result.durationMs / 1000).toFixed(1)} s`,
  );
  out.push(
    `  by depth         ${Object.entries(result.pagesByDepth)
      .map(([d, n]) => `${d}: ${n}`)
      .join(', ')}`,
  );
  const skipped = Object.entries(result.skipped).filter(([, n]) => n > 0);
  if (skipped.length > 0) out.push(`  skipped          ${skipped.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (result.pageCapReached) out.push('  page cap reached: raise SEO_MAX_PAGES to audit more');

  out.push('', 'Issues');
  if (result.issues.length === 0) out.push('  none found');
  const issues = [...result.issues].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || b.count - a.count);
  for (const issue of issues) {
    out.push(`  ${issue.severity.padEnd(7)} ${issue.kind.padEnd(27)} ${String(issue.count).padStart(5)} page(s)`);
    for (const page of issue.pages.slice(0, limit)) out.push(`          - ${page}`);
    if (issue.pages.length > limit) out.push(`          … and ${issue.count - limit} more`);
  }

  if (result.brokenLinks.length > 0) {
    out.push('', `Broken links and resources (${result.brokenLinks.length})`);
    for (const link of result.brokenLinks.slice(0, limit)) {
      const why = link.status !== null ? String(link.status) : (link.error ?? 'failed');
      out.push(`  ${why.padEnd(5)} ${link.kind.padEnd(8)} ${link.url}  (on ${link.foundOn.length} page(s), e.g. ${link.foundOn[0]})`);
    }
    if (result.brokenLinks.length > limit) out.push(`  … and ${result.brokenLinks.length - limit} more`);
  }

  out.push('', 'Competitors', `  ${result.competitors.message}`);
  for (const c of result.competitors.results) {
    out.push(`  ${c.url}: ${c.error ? `failed (${c.error})` : `score ${c.score}, ${c.pagesCrawled} pages`}`);
  }
  return out.join('\n');
}
