import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { seoAuditProgressSchema, seoAuditResultSchema } from '@jobs/queue-contracts';
import { DEFAULT_CRAWL_OPTIONS, type CrawlOptions } from './crawl-options';
import { RefusedAddressError } from '@jobs/net-guard';
import { runSeoAudit } from './run-seo-audit';
import type { SeoAuditData, SeoAuditProgress, SeoAuditResult, SeoPage } from '@jobs/queue-contracts';
import { silentLogger } from './test-support/silent-logger';
import { startTestServer, waitFor, type TestServer } from '@jobs/test-support';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const html = (body: string, head = '', attrs = ' lang="en"'): string =>
  `<!doctype html><html${attrs}><head>${head}</head><body>${body}</body></html>`;

const page =
  (content: string, headers: Record<string, string> = {}): Route =>
  (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(req.method === 'HEAD' ? undefined : content);
  };

const bytesPage =
  (bytes: Buffer, contentType: string): Route =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length }).end(bytes);
  };

const redirect =
  (location: string, status = 301): Route =>
  (_req, res) => {
    res.writeHead(status, { location }).end();
  };

/** A server answering from a route table; unknown paths answer 404 (HTML). */
async function siteServer(routes: Record<string, Route>): Promise<TestServer> {
  return startTestServer((req, res) => {
    const route = routes[req.url ?? '/'];
    if (route) {
      route(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end(req.method === 'HEAD' ? undefined : '<title>404</title>');
  });
}

const testOptions = (overrides: Partial<CrawlOptions> = {}): CrawlOptions => ({
  ...DEFAULT_CRAWL_OPTIONS,
  allowPrivateNetworks: true,
  requestTimeoutMs: 2000,
  ...overrides,
});

async function audit(
  websiteUrl: string,
  data: Partial<SeoAuditData> = {},
  options: Partial<CrawlOptions> = {},
  extra: { signal?: AbortSignal; onProgress?: (p: SeoAuditProgress) => void } = {},
): Promise<SeoAuditResult> {
  const result = await runSeoAudit(
    { userId: 'user-1', websiteUrl, depth: 2, includeCompetitors: false, ...data },
    {
      options: testOptions(options),
      log: silentLogger(),
      signal: extra.signal ?? new AbortController().signal,
      onProgress: extra.onProgress,
    },
  );
  // Every result must satisfy the contract, whatever the test looks at.
  seoAuditResultSchema.parse(result);
  return result;
}

const byPath = (result: SeoAuditResult, path: string): SeoPage | undefined =>
  result.pages.find((p) => new URL(p.url).pathname + new URL(p.url).search === path);

describe('runSeoAudit on a small site', () => {
  let server: TestServer;
  let result: SeoAuditResult;
  let elsewhere: TestServer;

  beforeAll(async () => {
    elsewhere = await siteServer({ '/': page(html('<h1>Other site</h1>')) });
    const longTitle = 'A very long page title that goes on and on past sixty characters';
    const aPage = html(
      '<h1>One</h1><h1>Two</h1><a href="/b">b</a>',
      `<title>${longTitle}</title><meta name="robots" content="noindex, follow">`,
      '',
    );
    server = await siteServer({
      '/': page(
        html(
          `<h1>Home</h1>
           <a href="/a">a</a> <a href="/a#section">a again</a> <a href="/a?x=1">a with query</a>
           <a href="/missing">gone</a> <a href="/doc.pdf">pdf</a> <a href="mailto:x@example.com">mail</a>
           <a href="${elsewhere.origin}/">another site</a> <a href="/to-elsewhere">redirect out</a>
           <img src="/img/ok.png" alt=""> <img src="/img/gone.png">
           <img srcset="/img/ok.png 1x, data:image/png;base64,AAAA 2x" alt="x">
           <script src="/js/app.js"></script>`,
          `<title>Home</title><meta name="description" content="Welcome home">
           <link rel="canonical" href="/"><link rel="stylesheet" href="/css/gone.css">
           <link rel="icon" href="/favicon.ico">`,
        ),
      ),
      '/a': page(aPage),
      '/a?x=1': page(aPage),
      '/b': page(
        html('<h1>B</h1><a href="/c">c</a><a href="/c-missing">c missing</a><a href="/head-405">no head</a>', '<title>B</title>'),
        { 'x-robots-tag': 'googlebot: noindex' },
      ),
      '/c': page(html('<h1>C</h1>', '<title>C</title>')),
      '/head-405': (req, res) => {
        if (req.method === 'HEAD') res.writeHead(405).end();
        else page(html('<title>GET only</title>'))(req, res);
      },
      '/doc.pdf': bytesPage(Buffer.from('%PDF-1.4'), 'application/pdf'),
      '/img/ok.png': bytesPage(Buffer.from([0x89, 0x50]), 'image/png'),
      '/js/app.js': bytesPage(Buffer.from('1'), 'text/javascript'),
      '/favicon.ico': bytesPage(Buffer.from([0]), 'image/x-icon'),
      '/to-elsewhere': redirect(`${elsewhere.origin}/`, 302),
    });
    result = await audit(`${server.origin}/`, { depth: 2 });
  });

  afterAll(async () => {
    await server.close();
    await elsewhere.close();
  });

  it('crawls breadth-first to the depth, deduplicating by URL without fragment', () => {
    expect(result.pagesByDepth).toEqual({ '0': 1, '1': 3, '2': 1 });
    expect(result.pages.map((p) => new URL(p.url).pathname + new URL(p.url).search)).toEqual(['/', '/a', '/a?x=1', '/missing', '/b']);
    // /c, /c-missing and /head-405 are linked from the depth-2 page only.
    expect(result.skipped).toEqual({ robotsTxt: 0, beyondDepth: 3, pageCap: 0, refusedAddress: 0, linkCheckCap: 0 });
    expect(result.pageCapReached).toBe(false);
    expect(server.requests).not.toContain('GET /c');
    expect(elsewhere.requests).toEqual([]); // off-site links and redirects are not followed
  });

  it('records on-page facts', () => {
    expect(byPath(result, '/')).toMatchObject({
      status: 200,
      depth: 0,
      title: 'Home',
      metaDescription: 'Welcome home',
      h1Count: 1,
      canonical: `${server.origin}/`,
      lang: 'en',
      imagesWithoutAlt: 1,
      noindex: false,
      charset: 'UTF-8',
      contentType: 'text/html; charset=utf-8',
      internalLinks: 6,
      externalLinks: 1,
      redirectChain: [],
    });
    expect(byPath(result, '/a')).toMatchObject({ h1Count: 2, lang: null, canonical: null, metaDescription: null, noindex: true });
    expect(byPath(result, '/b')).toMatchObject({ noindex: true, depth: 2 });
    expect(byPath(result, '/missing')).toMatchObject({ status: 404, title: null, bytes: 0 });
    expect(byPath(result, '/doc.pdf')).toBeUndefined(); // a file, not a page
  });

  it('reports broken internal links and resources, including links beyond the depth', () => {
    const broken = result.brokenLinks.map((b) => ({ path: new URL(b.url).pathname, kind: b.kind, status: b.status, foundOn: b.foundOn }));
    expect(broken).toEqual([
      { path: '/missing', kind: 'link', status: 404, foundOn: [`${server.origin}/`] },
      { path: '/c-missing', kind: 'link', status: 404, foundOn: [`${server.origin}/b`] },
      // Resources in document order: the stylesheet in <head> comes first.
      { path: '/css/gone.css', kind: 'resource', status: 404, foundOn: [`${server.origin}/`] },
      { path: '/img/gone.png', kind: 'resource', status: 404, foundOn: [`${server.origin}/`] },
    ]);
    // HEAD first; GET only where HEAD is not supported; each target once.
    expect(server.requests.filter((r) => r.endsWith(' /head-405'))).toEqual(['HEAD /head-405', 'GET /head-405']);
    expect(server.requests.filter((r) => r.endsWith(' /c'))).toEqual(['HEAD /c']);
    expect(server.requests.filter((r) => r.endsWith(' /missing'))).toEqual(['GET /missing']);
    expect(server.requests.filter((r) => r.endsWith(' /img/ok.png'))).toEqual(['HEAD /img/ok.png']);
  });

  it('groups issues with exact counts', () => {
    const issues = Object.fromEntries(result.issues.map((i) => [i.kind, i.pages.map((u) => new URL(u).pathname + new URL(u).search)]));
    expect(issues).toEqual({
      'http-error': ['/missing'],
      'broken-link': ['/', '/b'],
      'broken-resource': ['/'],
      'title-too-long': ['/a', '/a?x=1'],
      'duplicate-title': ['/a', '/a?x=1'],
      'missing-meta-description': ['/a', '/a?x=1', '/b'],
      'multiple-h1': ['/a', '/a?x=1'],
      'missing-canonical': ['/a', '/a?x=1', '/b'],
      'missing-lang': ['/a', '/a?x=1'],
      'image-missing-alt': ['/'],
      noindex: ['/a', '/a?x=1', '/b'],
    });
    expect(result.issues.find((i) => i.kind === 'http-error')).toMatchObject({ severity: 'error', count: 1 });
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(100);
  });

  it('says competitors were not requested', () => {
    expect(result.competitors).toEqual({ requested: false, message: expect.stringMatching(/not requested/), results: [] });
  });
});

describe('runSeoAudit decoding', () => {
  let server: TestServer;
  beforeAll(async () => {
    const latin1 = Buffer.concat([Buffer.from('<!doctype html><html><head><title>Caf'), Buffer.from([0xe9]), Buffer.from('</title></head></html>')]);
    const meta1252 = Buffer.concat([
      Buffer.from('<!doctype html><html><head><meta charset="windows-1252"><title>Cr'),
      Buffer.from([0xe8, 0x6d, 0x65, 0x20, 0x96, 0x20, 0x62, 0x72, 0xfb, 0x6c, 0xe9, 0x65]),
      Buffer.from('</title></head></html>'),
    ]);
    const utf8 = Buffer.from('<!doctype html><title>Café ☕</title>', 'utf8');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<title>Übung</title>', 'utf8')]);
    const big = `<!doctype html><html><head><title>Big</title></head><body>${'<p>filler text</p>'.repeat(100_000)}</body></html>`;
    server = await siteServer({
      '/': page(html(['latin1', 'meta1252', 'utf8', 'bom', 'gz', 'big', 'slow'].map((p) => `<a href="/${p}">${p}</a>`).join(''), '<title>Index</title>')),
      '/latin1': bytesPage(latin1, 'text/html; charset=iso-8859-1'),
      '/meta1252': bytesPage(meta1252, 'text/html'),
      '/utf8': bytesPage(utf8, 'text/html'),
      '/bom': bytesPage(bom, 'text/html; charset=iso-8859-1'),
      '/gz': (_req, res) => {
        const body = gzipSync(Buffer.from(html('<h1>zipped</h1>', '<title>Gzipped</title>')));
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(body);
      },
      '/big': page(big),
      '/slow': () => {
        // Never answers: the request timeout must end it.
      },
    });
  });
  afterAll(() => server.close());

  it('decodes each page in its declared charset, caps the body size and times out slow pages', async () => {
    // /slow never answers; the timeout is generous so that on a busy machine only /slow hits it.
    const result = await audit(`${server.origin}/`, { depth: 1 }, { maxResponseBytes: 64 * 1024, requestTimeoutMs: 3000 });
    expect(byPath(result, '/latin1')).toMatchObject({ title: 'Café', charset: 'windows-1252' });
    expect(byPath(result, '/meta1252')).toMatchObject({ title: 'Crème – brûlée', charset: 'windows-1252' });
    expect(byPath(result, '/utf8')).toMatchObject({ title: 'Café ☕', charset: 'UTF-8' });
    expect(byPath(result, '/bom')).toMatchObject({ title: 'Übung', charset: 'UTF-8' });
    expect(byPath(result, '/gz')).toMatchObject({ title: 'Gzipped', h1Count: 1 });
    const big = byPath(result, '/big');
    expect(big).toMatchObject({ status: 200, bytes: 64 * 1024, title: 'Big' });
    expect(big?.error).toMatch(/truncated at 65536 bytes/);
    expect(byPath(result, '/slow')).toMatchObject({ status: null, error: 'request timed out after 3000 ms' });
    expect(result.issues.find((i) => i.kind === 'http-error')?.pages).toEqual([`${server.origin}/slow`]);
  });
});

describe('runSeoAudit and robots.txt', () => {
  it('honours the group for its user agent, and counts what it skipped', async () => {
    const server = await siteServer({
      '/robots.txt': (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end('User-agent: *\nDisallow: /\n\nUser-agent: SalesJobsSeoAudit\nDisallow: /private/\nDisallow: /no-bots\n'),
      '/': page(html('<a href="/private/x">p</a><a href="/no-bots">n</a><a href="/open">o</a><a href="/to-private">r</a>', '<title>Root</title>')),
      '/open': page(html('<a href="/private/y">p2</a>', '<title>Open</title>')),
      '/to-private': redirect('/private/z'),
    });
    try {
      const result = await audit(`${server.origin}/`, { depth: 3 });
      expect(result.pages.map((p) => new URL(p.url).pathname)).toEqual(['/', '/open']);
      // /private/x, /no-bots, /private/z (a redirect target) and /private/y.
      expect(result.skipped.robotsTxt).toBe(4);
      expect(server.requests.filter((r) => /private\/|no-bots/.test(r))).toEqual([]);
      expect(server.requests.filter((r) => r.endsWith('/robots.txt'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('does not crawl an origin whose robots.txt answers a server error (RFC 9309), and says why', async () => {
    const server = await siteServer({
      '/robots.txt': (_req, res) => res.writeHead(503).end(),
      '/': page(html('', '<title>Root</title>')),
    });
    try {
      const result = await audit(`${server.origin}/`);
      expect(result.pages).toEqual([
        expect.objectContaining({ status: null, error: expect.stringMatching(/^robots\.txt could not be fetched \(HTTP 503\)/) }),
      ]);
      expect(server.requests).toEqual(['GET /robots.txt']);
      expect(result.score).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('runSeoAudit redirects', () => {
  let server: TestServer;
  beforeAll(async () => {
    const loop: Record<string, Route> = {};
    for (let i = 0; i < 10; i += 1) loop[`/loop${i}`] = redirect(`/loop${i + 1}`, 302);
    server = await siteServer({
      '/': page(html('<a href="/r1">r</a><a href="/loop0">loop</a><a href="/final">direct</a><a href="/dir">dir</a>', '<title>Root</title>')),
      '/r1': redirect('/r2', 301),
      '/r2': redirect('/r3', 302),
      '/r3': redirect('/landing', 307),
      '/landing': page(html('<h1>Landed</h1>', '<title>Landing</title>')),
      '/final': page(html('', '<title>Final</title>')),
      '/dir': redirect('/final', 301),
      ...loop,
    });
  });
  afterAll(() => server.close());

  it('records each hop, limits the number of redirects and does not count a page twice', async () => {
    const result = await audit(`${server.origin}/`, { depth: 1 }, { maxRedirects: 5 });
    expect(byPath(result, '/r1')).toMatchObject({
      finalUrl: `${server.origin}/landing`,
      status: 200,
      title: 'Landing',
      redirectChain: [
        { url: `${server.origin}/r1`, status: 301 },
        { url: `${server.origin}/r2`, status: 302 },
        { url: `${server.origin}/r3`, status: 307 },
      ],
    });
    const loop = byPath(result, '/loop0');
    expect(loop).toMatchObject({ status: null, error: 'too many redirects (more than 5)' });
    expect(loop?.redirectChain).toHaveLength(6);
    expect(server.requests).not.toContain('GET /loop6');
    // /dir redirects onto /final, which is crawled on its own: one page, not two.
    expect(result.pages.filter((p) => p.finalUrl === `${server.origin}/final`)).toHaveLength(1);
    expect(result.issues.find((i) => i.kind === 'redirect-chain')?.pages.sort()).toEqual(
      [`${server.origin}/landing`, `${server.origin}/loop6`].sort(),
    );
    expect(result.brokenLinks.map((b) => new URL(b.url).pathname)).toEqual(['/loop0']);
  });
});

describe('runSeoAudit link-check cap', () => {
  it('checks at most maxLinkChecks targets beyond its pages and counts the rest', async () => {
    const links = Array.from({ length: 10 }, (_, i) => `<a href="/missing${i}">${i}</a>`).join('');
    const server = await siteServer({ '/': page(html(links, '<title>Root</title>')) });
    try {
      const result = await audit(`${server.origin}/`, { depth: 0 }, { maxLinkChecks: 4 });
      expect(result.skipped.linkCheckCap).toBe(6);
      expect(result.brokenLinks.map((b) => new URL(b.url).pathname)).toEqual(['/missing0', '/missing1', '/missing2', '/missing3']);
      expect(server.requests.filter((r) => r.includes('/missing'))).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});

describe('runSeoAudit page cap', () => {
  it('stops at min(options.maxPages, data.maxPages) and counts what it left', async () => {
    const links = Array.from({ length: 6 }, (_, i) => `<a href="/p${i}">${i}</a>`).join('');
    const routes: Record<string, Route> = { '/': page(html(links, '<title>Root</title>')) };
    for (let i = 0; i < 6; i += 1) routes[`/p${i}`] = page(html(`<a href="/q${i}">q</a>`, `<title>P${i}</title>`));
    const server = await siteServer(routes);
    try {
      const result = await audit(`${server.origin}/`, { depth: 3, maxPages: 3 }, { maxPages: 10 });
      expect(result.pagesCrawled).toBe(3);
      expect(result.pages.map((p) => new URL(p.url).pathname)).toEqual(['/', '/p0', '/p1']);
      expect(result.pageCapReached).toBe(true);
      // /p2-/p5 were left in the queue and /q0, /q1 were found on crawled pages.
      expect(result.skipped.pageCap).toBe(6);
      const lowered = await audit(`${server.origin}/`, { depth: 1, maxPages: 100 }, { maxPages: 2 });
      expect(lowered.pagesCrawled).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('runSeoAudit SSRF guard', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await siteServer({ '/': page(html('<a href="/a">a</a>', '<title>Root</title>')) });
  });
  afterAll(() => server.close());

  const port = (): string => new URL(server.origin).port;

  it.each([
    ['loopback IPv4', () => `http://127.0.0.1:${port()}/`, 'loopback'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['loopback IPv6', () => `http://[::1]:${port()}/`, 'loopback'],
    ['a name resolving to loopback', () => `http://localhost:${port()}/`, 'loopback'],
  ])('refuses a start URL on %s with RefusedAddressError', async (_label, url, reason) => {
    const err = await audit(url(), {}, { allowPrivateNetworks: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect(err).toMatchObject({ reason });
    expect((err as Error).message).toMatch(/Refused to connect to .+: it resolves to/);
    expect(server.requests).toEqual([]);
  });
});

describe('runSeoAudit abort', () => {
  it('stops promptly when the signal aborts, with the signal reason', async () => {
    const routes: Record<string, Route> = {};
    const slowPage =
      (i: number): Route =>
      (req, res) => {
        const links = Array.from({ length: 10 }, (_, j) => `<a href="/p${i * 10 + j + 1}">x</a>`).join('');
        setTimeout(() => page(html(links, `<title>P${i}</title>`))(req, res), 100);
      };
    for (let i = 0; i < 500; i += 1) routes[i === 0 ? '/' : `/p${i}`] = slowPage(i);
    const server = await siteServer(routes);
    try {
      const controller = new AbortController();
      // Abort once the crawl is under way (counted by the server, not timed), so a busy machine
      // changes nothing about what is asserted.
      const crawl = audit(`${server.origin}/`, { depth: 5 }, {}, { signal: controller.signal }).catch((e: unknown) => e);
      await waitFor('ten requests', () => server.requests.length >= 10, { timeoutMs: 20_000, intervalMs: 5 });
      controller.abort();
      const err = await crawl;
      // The default reason is a DOMException named AbortError (not a jest-realm Error).
      expect((err as Error).name).toBe('AbortError');
      const seen = server.requests.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(server.requests.length).toBe(seen); // nothing more goes out after the abort
      // Uninterrupted, this crawl would fetch 500 pages; after the abort only requests already
      // in flight (4 per host) may have been counted.
      expect(seen).toBeLessThan(40);
    } finally {
      await server.close();
    }
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(audit('http://127.0.0.1:9/', {}, {}, { signal: controller.signal })).rejects.toThrow('shutting down');
  });
});

describe('runSeoAudit external links', () => {
  it('checks links and resources on other sites only when checkExternalLinks is on', async () => {
    const other = await siteServer({ '/fine': page(html('', '<title>Fine</title>')) });
    const server = await siteServer({
      '/': page(html(`<a href="${other.origin}/fine">ok</a><a href="${other.origin}/gone">gone</a><img src="${other.origin}/pic.png" alt="">`, '<title>Root</title>')),
    });
    try {
      const off = await audit(`${server.origin}/`, { depth: 1 });
      expect(off.brokenLinks).toEqual([]);
      expect(other.requests).toEqual([]);
      const on = await audit(`${server.origin}/`, { depth: 1 }, { checkExternalLinks: true });
      expect(on.brokenLinks).toEqual([
        { url: `${other.origin}/gone`, kind: 'link', internal: false, status: 404, foundOn: [`${server.origin}/`] },
        { url: `${other.origin}/pic.png`, kind: 'resource', internal: false, status: 404, foundOn: [`${server.origin}/`] },
      ]);
      expect(other.requests.filter((r) => !r.endsWith('/robots.txt')).sort()).toEqual(['HEAD /fine', 'HEAD /gone', 'HEAD /pic.png']);
    } finally {
      await server.close();
      await other.close();
    }
  });
});

describe('runSeoAudit competitors and progress', () => {
  let main: TestServer;
  let rival: TestServer;
  beforeAll(async () => {
    main = await siteServer({
      '/': page(html('<h1>Main</h1><a href="/one">1</a>', '<title>Main</title><meta name="description" content="m">')),
      '/one': page(html('<h1>One</h1><a href="/two">2</a>', '<title>One</title>')),
      '/two': page(html('<h1>Two</h1>', '<title>Two</title>')),
    });
    rival = await siteServer({
      '/': page(html('<a href="/x">x</a><a href="/y">y</a><a href="/z">z</a>', '<title>Rival</title>')),
      '/x': page(html('<a href="/deeper">d</a>', '<title>X</title>')),
      '/y': page(html('', '<title>Y</title>')),
    });
  });
  afterAll(async () => {
    await main.close();
    await rival.close();
  });

  it('audits each competitor shallowly; one failing gives an error entry, not a failed job', async () => {
    const progress: SeoAuditProgress[] = [];
    const result = await audit(
      `${main.origin}/`,
      { depth: 2, includeCompetitors: true, competitorUrls: [`${rival.origin}/`, 'http://127.0.0.1:9/'] },
      { competitorDepth: 1, competitorMaxPages: 3 },
      { onProgress: (p) => void progress.push(p) },
    );
    expect(result.competitors.requested).toBe(true);
    expect(result.competitors.message).toMatch(/Audited 2 competitor site\(s\) at depth 1, up to 3 pages each; 1 could not/);
    const [ok, failed] = result.competitors.results;
    expect(ok).toMatchObject({ url: `${rival.origin}/`, pagesCrawled: 3 });
    expect(ok.score).toEqual(expect.any(Number));
    // /z (left out by the page cap) is linked from /, /deeper (beyond depth 1) from /x.
    expect(ok.issueCounts).toMatchObject({ 'missing-h1': 3, 'broken-link': 2 });
    expect(rival.requests).not.toContain('GET /deeper');
    expect(rival.requests).toContain('HEAD /deeper');
    expect(failed).toMatchObject({ url: 'http://127.0.0.1:9/', score: null, error: expect.stringMatching(/could not be fetched: robots\.txt could not be fetched \(.*ECONNREFUSED/) });

    for (const p of progress) seoAuditProgressSchema.parse(p);
    const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual(['crawling', 'checking-links', 'competitors', 'done']);
    const crawlDepths = new Set(progress.filter((p) => p.phase === 'crawling').map((p) => p.currentDepth));
    expect([...crawlDepths]).toEqual([0, 1, 2]);
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'done', pagesCrawled: 3, pagesQueued: 0 });
  });

  it('says so when competitors are requested without URLs', async () => {
    const result = await audit(`${main.origin}/`, { depth: 0, includeCompetitors: true });
    expect(result.competitors).toEqual({
      requested: true,
      message: expect.stringMatching(/^No competitor URLs were given; /),
      results: [],
    });
  });
});
