import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { load } from 'cheerio';
import { seoAuditResultSchema } from '@jobs/queue-contracts';
import { DEFAULT_CRAWL_OPTIONS } from './crawl-options';
import { runSeoAudit } from './run-seo-audit';
import type { SeoAuditResult } from '@jobs/queue-contracts';
import { serveStaticDirectory } from '@jobs/test-support';
import { silentLogger } from './test-support/silent-logger';
import { startTestServer, type TestServer } from '@jobs/test-support';

// The Apache httpd manual, a real static site (see /work/shared/fixtures/README.md).
const SITE_ROOT = resolve(__dirname, '../../../../../shared/fixtures/sites/httpd-manual');
const DEPTH = 10;
const MAX_PAGES = 2000;

/** What a URL of the served site is, judged from the files alone (mirrors the test server). */
type Target =
  | { kind: 'external' }
  | { kind: 'redirect'; to: string }
  | { kind: 'missing' }
  | { kind: 'file'; path: string; html: boolean };

/**
 * The expected audit figures, computed from the files themselves: parse every HTML file
 * reached, resolve its anchors against the page URL, walk breadth-first from `/`.
 */
function expectFromFiles(origin: string) {
  const classify = (url: string): Target => {
    const parsed = new URL(url);
    if (parsed.origin !== origin) return { kind: 'external' };
    const file = join(SITE_ROOT, decodeURIComponent(parsed.pathname));
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!parsed.pathname.endsWith('/')) {
        return { kind: 'redirect', to: new URL(`${parsed.pathname}/${parsed.search}`, origin).href };
      }
      return { kind: 'file', path: join(file, 'index.html'), html: true };
    }
    if (!existsSync(file)) return { kind: 'missing' };
    return { kind: 'file', path: file, html: extname(file) === '.html' };
  };
  const absolute = (href: string, base: string): string | null => {
    try {
      const url = new URL(href.trim(), base);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
      url.hash = '';
      return url.href;
    } catch {
      return null;
    }
  };

  const start = `${origin}/`;
  const seen = new Set([start]);
  const pagesByDepth: Record<string, number> = {};
  const pageUrls: string[] = [];
  const htmlPages: string[] = [];
  const filesReached = new Set<string>();
  const withoutDescription = new Set<string>();
  const anchorTargets = new Set<string>();
  const resourceTargets = new Set<string>();
  const beyond = new Set<string>();
  let pageCap = 0;
  let level = [start];
  for (let depth = 0; level.length > 0; depth += 1) {
    // Anchors of this level's pages, in page order then document order; followed only once the
    // whole level is done, so every URL gets its shortest distance.
    const found: string[] = [];
    let capped = false;
    for (const url of level) {
      if (pageUrls.length >= MAX_PAGES) {
        capped = true;
        pageCap += 1;
        continue;
      }
      let target = classify(url);
      let finalUrl = url;
      if (target.kind === 'redirect') {
        if (seen.has(target.to)) continue; // that URL is crawled on its own
        seen.add(target.to);
        finalUrl = target.to;
        target = classify(target.to);
      }
      if (target.kind === 'missing') {
        pageUrls.push(finalUrl);
        pagesByDepth[depth] = (pagesByDepth[depth] ?? 0) + 1;
        continue;
      }
      if (target.kind !== 'file' || !target.html) continue;
      pageUrls.push(finalUrl);
      htmlPages.push(finalUrl);
      filesReached.add(target.path);
      pagesByDepth[depth] = (pagesByDepth[depth] ?? 0) + 1;
      const $ = load(readFileSync(target.path));
      const description = $('meta')
        .toArray()
        .find((m) => ($(m).attr('name') ?? '').toLowerCase() === 'description');
      if (!description || ($(description).attr('content') ?? '').trim() === '') withoutDescription.add(finalUrl);
      $('img[src], script[src]').each((_, el) => {
        const href = absolute($(el).attr('src') ?? '', finalUrl);
        if (href) resourceTargets.add(href);
      });
      $('link[rel][href]').each((_, el) => {
        const rels = ($(el).attr('rel') ?? '').toLowerCase().split(/\s+/);
        const href = absolute($(el).attr('href') ?? '', finalUrl);
        if (href && (rels.includes('stylesheet') || rels.includes('icon'))) resourceTargets.add(href);
      });
      $('a[href]').each((_, el) => {
        const href = absolute($(el).attr('href') ?? '', finalUrl);
        if (!href) return;
        anchorTargets.add(href);
        if (new URL(href).origin === origin) found.push(href);
      });
    }
    const next: string[] = [];
    for (const href of found) {
      if (seen.has(href)) continue;
      if (depth < DEPTH) {
        seen.add(href);
        next.push(href);
      } else {
        beyond.add(href);
      }
    }
    if (capped) {
      pageCap += next.length;
      break;
    }
    level = next;
  }
  const isMissing = (url: string): boolean => classify(url).kind === 'missing';
  return {
    pagesByDepth,
    pageCap,
    pageUrls,
    htmlPages,
    filesReached,
    withoutDescription,
    beyondDepth: [...beyond].filter((u) => !seen.has(u)).length,
    brokenInternalLinks: new Set([...anchorTargets].filter((u) => new URL(u).origin === origin && isMissing(u))),
    brokenInternalResources: new Set(
      [...resourceTargets].filter((u) => new URL(u).origin === origin && isMissing(u)),
    ),
  };
}

describe('crawling the Apache httpd manual (real fixture site)', () => {
  let server: TestServer;
  let result: SeoAuditResult;
  let expected: ReturnType<typeof expectFromFiles>;
  let elapsedMs = 0;

  beforeAll(async () => {
    if (!existsSync(join(SITE_ROOT, 'index.html'))) {
      throw new Error(
        `Fixture site missing: expected the Apache httpd manual at ${SITE_ROOT} (with index.html). ` +
          'It lives in the shared fixtures folder next to the repository (../shared/fixtures/sites/httpd-manual); ' +
          'see ../shared/fixtures/README.md.',
      );
    }
    server = await startTestServer(serveStaticDirectory(SITE_ROOT));
    expected = expectFromFiles(server.origin);
    const started = performance.now();
    result = await runSeoAudit(
      { userId: 'u1', websiteUrl: `${server.origin}/`, depth: DEPTH, includeCompetitors: false, maxPages: MAX_PAGES },
      {
        options: { ...DEFAULT_CRAWL_OPTIONS, allowPrivateNetworks: true, maxPages: MAX_PAGES },
        log: silentLogger(),
        signal: new AbortController().signal,
      },
    );
    elapsedMs = performance.now() - started;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('matches the result schema', () => {
    expect(() => seoAuditResultSchema.parse(result)).not.toThrow();
  });

  it('reaches the pages a breadth-first walk over the files reaches, level by level', () => {
    expect(result.pagesByDepth).toEqual(Object.fromEntries(Object.entries(expected.pagesByDepth).map(([k, v]) => [String(k), v])));
    expect(result.pagesCrawled).toBe(expected.pageUrls.length);
    expect(new Set(result.pages.map((p) => p.finalUrl))).toEqual(new Set(expected.pageUrls));
    // Depth 10 with a cap above the site's size: every page reachable from / is reached.
    expect(expected.pageCap).toBe(0);
    expect(result.pageCapReached).toBe(false);
    expect(result.skipped).toEqual({
      robotsTxt: 0,
      beyondDepth: expected.beyondDepth,
      pageCap: expected.pageCap,
      refusedAddress: 0,
      linkCheckCap: 0,
    });
    const okPages = result.pages.filter((p) => p.status === 200);
    expect(new Set(okPages.map((p) => p.finalUrl))).toEqual(new Set(expected.htmlPages));
    const htmlFiles = readdirSync(SITE_ROOT, { recursive: true }).filter((f) => String(f).endsWith('.html')).length;
    console.log(
      `httpd-manual: ${result.pagesCrawled} pages crawled (${okPages.length} HTML 200 from ` +
         `${expected.filesReached.size} of ${htmlFiles} HTML files, ` +
        `${result.pagesCrawled - okPages.length} 404), pageCap skipped ${result.skipped.pageCap}, ` +
        `byDepth ${JSON.stringify(result.pagesByDepth)}, ${result.brokenLinks.length} broken entries, ` +
        `score ${result.score}, ${Math.round(elapsedMs)} ms`,
    );
  });

  it('lists exactly the pages without a meta description', () => {
    const issue = result.issues.find((i) => i.kind === 'missing-meta-description');
    expect(issue?.count ?? 0).toBe(expected.withoutDescription.size);
    const fromPages = new Set(result.pages.filter((p) => p.status === 200 && p.metaDescription === null).map((p) => p.finalUrl));
    expect(fromPages).toEqual(expected.withoutDescription);
    if (expected.withoutDescription.size <= 100) expect(new Set(issue?.pages ?? [])).toEqual(expected.withoutDescription);
  });

  it('reports exactly the internal links and resources that point at missing files', () => {
    const links = result.brokenLinks.filter((b) => b.kind === 'link' && b.internal);
    expect(new Set(links.map((b) => b.url))).toEqual(expected.brokenInternalLinks);
    expect(links.every((b) => b.status === 404 && b.foundOn.length > 0)).toBe(true);
    const resources = result.brokenLinks.filter((b) => b.kind === 'resource' && b.internal);
    expect(new Set(resources.map((b) => b.url))).toEqual(expected.brokenInternalResources);
    expect(result.brokenLinks.some((b) => !b.internal)).toBe(false); // external links not checked
  });

  it('decodes every page as UTF-8 and reads titles and languages', () => {
    const okPages = result.pages.filter((p) => p.status === 200);
    expect(okPages.every((p) => p.charset === 'UTF-8')).toBe(true);
    expect(okPages.every((p) => p.title !== null && p.lang === 'en')).toBe(true);
  });
});
