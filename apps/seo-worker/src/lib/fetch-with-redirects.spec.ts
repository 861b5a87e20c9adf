import { AddressGuard, classifyAddress, RefusedAddressError, type ResolveAllFn } from '@jobs/net-guard';
import { DEFAULT_CRAWL_OPTIONS } from './crawl-options';
import { fetchWithRedirects } from './fetch-with-redirects';
import { HttpFetcher } from './http-fetcher';
import { startTestServer, type TestServer } from '@jobs/test-support';

// The guard runs with allowPrivateNetworks off; only the test server's own address,
// 127.0.0.1, is treated as public, so every other loopback or private address is refused
// exactly as a real private address would be.
const classify = (address: string): string | null => (address === '127.0.0.1' ? null : classifyAddress(address));

describe('fetchWithRedirects behind the address guard', () => {
  let server: TestServer;
  let rebindCalls = 0;
  const resolveAll: ResolveAllFn = async (hostname) => {
    if (hostname === 'site.test') return [{ address: '127.0.0.1', family: 4 }];
    if (hostname === 'internal.test') return [{ address: '10.0.0.5', family: 4 }];
    if (hostname === 'rebind.test') {
      rebindCalls += 1;
      return [{ address: rebindCalls === 1 ? '127.0.0.1' : '127.0.0.3', family: 4 }];
    }
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  const targets: Record<string, (port: number) => string> = {
    '/to-loopback': (port) => `http://127.0.0.2:${port}/`,
    '/to-ipv6-loopback': (port) => `http://[::1]:${port}/`,
    '/to-ipv4-compatible-loopback': (port) => `http://[::127.0.0.1]:${port}/`,
    '/to-nat64-metadata': () => 'http://[64:ff9b::169.254.169.254]/latest/meta-data/',
    '/to-metadata': () => 'http://169.254.169.254/latest/meta-data/',
    '/to-private-name': (port) => `http://internal.test:${port}/`,
    '/to-ok': () => '/ok',
  };
  let fetcher: HttpFetcher;

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const target = targets[req.url ?? ''];
      if (target) {
        res.writeHead(302, { location: target(Number(new URL(server.origin).port)) }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    fetcher = new HttpFetcher({
      options: { ...DEFAULT_CRAWL_OPTIONS, requestTimeoutMs: 2000 },
      guard: new AddressGuard({ allowPrivateNetworks: false, resolveAll, classify }),
      signal: new AbortController().signal,
    });
  });

  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  const fetchFrom = (path: string) =>
    fetchWithRedirects(fetcher, new URL(`http://site.test:${new URL(server.origin).port}${path}`), {
      method: 'GET',
      maxRedirects: 5,
      readBody: () => true,
    });

  it('follows a redirect between allowed addresses', async () => {
    const outcome = await fetchFrom('/to-ok');
    expect(outcome.kind).toBe('response');
    expect(outcome.chain).toEqual([{ url: expect.stringMatching(/\/to-ok$/), status: 302 }]);
  });

  it.each([
    ['/to-loopback', '127.0.0.2', 'loopback'],
    ['/to-ipv6-loopback', '::1', 'loopback'],
    ['/to-ipv4-compatible-loopback', '::7f00:1', 'loopback'],
    ['/to-nat64-metadata', '64:ff9b::a9fe:a9fe', 'linkLocal'],
    ['/to-metadata', '169.254.169.254', 'linkLocal'],
    ['/to-private-name', '10.0.0.5', 'private'],
  ])('refuses the redirect hop of %s (to %s) from an allowed host', async (path, address, reason) => {
    const before = server.requests.length;
    const outcome = await fetchFrom(path);
    expect(outcome.kind).toBe('refused');
    if (outcome.kind !== 'refused') return;
    expect(outcome.error).toBeInstanceOf(RefusedAddressError);
    expect(outcome.error).toMatchObject({ address, reason });
    expect(outcome.chain).toHaveLength(1);
    expect(server.requests.slice(before)).toEqual([`GET ${path}`]);
  });

  it('refuses at connect time when the name rebinds after the pre-check (the socket is pinned)', async () => {
    const before = server.requests.length;
    const outcome = await fetchWithRedirects(
      fetcher,
      new URL(`http://rebind.test:${new URL(server.origin).port}/ok`),
      { method: 'GET', maxRedirects: 5, readBody: () => true },
    );
    expect(rebindCalls).toBe(2); // once for the pre-check, once by the connection itself
    expect(outcome.kind).toBe('refused');
    if (outcome.kind === 'refused') expect(outcome.error).toMatchObject({ hostname: 'rebind.test', address: '127.0.0.3' });
    expect(server.requests.length).toBe(before);
  });
});
