import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { seoAuditResultSchema } from '@jobs/queue-contracts';
import type { SeoAuditResult, SeoPage } from '@jobs/queue-contracts';
import { serveStaticDirectory, startTestServer, type TestServer } from '@jobs/test-support';
import { DEFAULT_CRAWL_OPTIONS } from './crawl-options';
import { runSeoAudit } from './run-seo-audit';
import { silentLogger } from './test-support/silent-logger';

// Titles of the Korean Apache manual's bind page. The long one is 47 characters, but 63 once
// its EUC-KR bytes are decoded as UTF-8: only a mis-decoding makes `title-too-long` (> 60) fire.
const SHORT_TITLE = '주소와 포트 지정';
const LONG_TITLE = '서버가 사용할 주소와 포트를 지정하는 방법 - Apache HTTP 서버 버전 2.5';

const korean = (title: string, head: string): Buffer =>
  iconv.encode(`<!doctype html><html lang="ko"><head>${head}<title>${title}</title></head><body><h1>${title}</h1></body></html>`, 'euc-kr');

async function audit(origin: string): Promise<SeoAuditResult> {
  const result = await runSeoAudit(
    { userId: 'u1', websiteUrl: `${origin}/`, depth: 2, includeCompetitors: false },
    {
      options: { ...DEFAULT_CRAWL_OPTIONS, allowPrivateNetworks: true },
      log: silentLogger(),
      signal: new AbortController().signal,
    },
  );
  return seoAuditResultSchema.parse(result);
}

const byPath = (result: SeoAuditResult, path: string): SeoPage | undefined =>
  result.pages.find((p) => new URL(p.finalUrl).pathname === path);

describe('a folder of pages in their own charsets, served by serveStaticDirectory and audited', () => {
  let root: string;
  let server: TestServer;
  let result: SeoAuditResult;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'seo-charset-'));
    await mkdir(join(root, 'ko'));
    const pages = ['ko/meta-charset.html', 'ko/http-equiv.html', 'ko/alias.html', 'ko/long.html', 'fr.html', 'missing.html'];
    await writeFile(
      join(root, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Index ☕</title></head><body>${pages
        .map((p) => `<a href="/${p}">${p}</a>`)
        .join('')}</body></html>`,
    );
    await writeFile(join(root, 'ko/meta-charset.html'), korean(SHORT_TITLE, '<meta charset="euc-kr">'));
    await writeFile(
      join(root, 'ko/http-equiv.html'),
      korean(SHORT_TITLE, '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'),
    );
    // An alias label of EUC-KR, as old Windows tools wrote it.
    await writeFile(join(root, 'ko/alias.html'), korean(`${SHORT_TITLE} (별칭)`, '<meta charset="ks_c_5601-1987">'));
    await writeFile(join(root, 'ko/long.html'), korean(LONG_TITLE, '<meta charset="euc-kr">'));
    await writeFile(
      join(root, 'fr.html'),
      iconv.encode('<!doctype html><html lang="fr"><head><meta charset="latin1"><title>Crème brûlée</title></head></html>', 'latin1'),
    );
    server = await startTestServer(serveStaticDirectory(root));
    result = await audit(server.origin);
  });

  afterAll(async () => {
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('sends each file with its bare media type, inventing no charset, as Apache does by default', async () => {
    for (const path of ['/ko/meta-charset.html', '/', '/index.html']) {
      const res = await fetch(server.url(path));
      await res.arrayBuffer();
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, 'text/html']);
    }
  });

  it('decodes each page in the charset its <meta> declares', () => {
    expect(byPath(result, '/ko/meta-charset.html')).toMatchObject({ status: 200, title: SHORT_TITLE, charset: 'EUC-KR' });
    expect(byPath(result, '/ko/http-equiv.html')).toMatchObject({ status: 200, title: SHORT_TITLE, charset: 'EUC-KR' });
    expect(byPath(result, '/ko/alias.html')).toMatchObject({ status: 200, title: `${SHORT_TITLE} (별칭)`, charset: 'EUC-KR' });
    expect(byPath(result, '/ko/long.html')).toMatchObject({ status: 200, title: LONG_TITLE, charset: 'EUC-KR' });
    expect(byPath(result, '/fr.html')).toMatchObject({ status: 200, title: 'Crème brûlée', charset: 'windows-1252' });
    expect(byPath(result, '/')).toMatchObject({ status: 200, title: 'Index ☕', charset: 'UTF-8' });
  });

  it('raises no title-too-long for pages whose real titles are short', () => {
    expect(result.issues.find((i) => i.kind === 'title-too-long')).toBeUndefined();
  });

  it('reports a 404 page in the same charset name form as the 200 pages', () => {
    const missing = byPath(result, '/missing.html');
    expect(missing).toMatchObject({ status: 404, charset: 'UTF-8' });
    expect(missing?.contentType).toMatch(/charset=utf-8/); // the server's own error page, labelled in lower case
  });
});

describe('charset labels in Content-Type headers, on 200 and error pages alike', () => {
  let server: TestServer;

  beforeAll(async () => {
    // label → [status, charset label in the header]
    const routes: Record<string, [number, string]> = {
      '/ok-utf8': [200, 'utf8'],
      '/ok-latin1': [200, 'latin1'],
      '/ok-korean': [200, 'ks_c_5601-1987'],
      '/gone-utf8': [404, 'utf8'],
      '/gone-lower': [404, 'utf-8'],
      '/gone-latin1': [410, '"ISO-8859-1"'],
      '/gone-korean': [404, 'ks_c_5601-1987'],
      '/broken-unknown': [500, 'no-such-charset'],
    };
    server = await startTestServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/') {
        const links = Object.keys(routes).map((p) => `<a href="${p}">${p}</a>`).join('');
        res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(`<title>Index</title>${links}`);
        return;
      }
      const route = routes[path];
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(route[0], { 'content-type': `text/html; charset=${route[1]}` }).end('<title>Page</title>');
    });
  });
  afterAll(() => server.close());

  it('reports the WHATWG canonical name of each label, or null for a label no decoder knows', async () => {
    const result = await audit(server.origin);
    const charsets = Object.fromEntries(result.pages.map((p) => [new URL(p.finalUrl).pathname, p.charset]));
    expect(charsets).toEqual({
      '/': 'UTF-8',
      '/ok-utf8': 'UTF-8',
      '/ok-latin1': 'windows-1252',
      '/ok-korean': 'EUC-KR',
      '/gone-utf8': 'UTF-8',
      '/gone-lower': 'UTF-8',
      '/gone-latin1': 'windows-1252',
      '/gone-korean': 'EUC-KR',
      '/broken-unknown': null,
    });
  });
});
