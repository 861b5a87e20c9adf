import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '@jobs/test-support';
import type { AddressGuardOptions, ResolveAllFn } from './address-guard';
import { classifyAddress } from './classify-address';
import { guardedRequest } from './guarded-request';
import { RefusedAddressError } from './refused-address-error';
import { RequestTimeoutError } from './request-timeout-error';
import { ResponseTooLargeError } from './response-too-large-error';
import { TooManyRedirectsError } from './too-many-redirects-error';
import { UnsupportedUrlError } from './unsupported-url-error';

// The guard runs ON; only the test servers' own address, 127.0.0.1, counts as public, so the
// real guard code decides every other address. `private.test` resolves to a private address.
const resolveAll: ResolveAllFn = async (hostname) => {
  if (hostname === 'private.test') return [{ address: '10.0.0.7', family: 4 }];
  if (hostname === '127.0.0.1') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};
const guard: AddressGuardOptions = {
  allowPrivateNetworks: false,
  allowSetting: 'TEST_ALLOW_PRIVATE',
  resolveAll,
  classify: (address) => (address === '127.0.0.1' ? null : classifyAddress(address)),
};
const base = { guard, timeoutMs: 5_000, maxResponseBytes: 1024 };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ server: TestServer; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await startTestServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  servers.push(server);
  return { server, seen };
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('guardedRequest', () => {
  it('sends method, headers and body, and returns status, headers and the body', async () => {
    const { server, seen } = await serve((_req, res) => res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const res = await guardedRequest(server.url('/hook?x=1#frag'), {
      ...base,
      method: 'post',
      headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' },
      body: '{"a":1}',
    });
    expect(res).toMatchObject({ url: server.url('/hook?x=1'), status: 201, redirects: [] });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.toString()).toBe('{"ok":true}');
    expect(seen).toEqual([expect.objectContaining({ method: 'POST', url: '/hook?x=1', body: '{"a":1}' })]);
    expect(seen[0]!.headers['x-test']).toBe('yes');
  });

  it('refuses a loopback address with the real classification, naming the setting, before any request', async () => {
    const { server } = await serve((_req, res) => res.end('reached'));
    const port = new URL(server.origin).port;
    const err = await guardedRequest(`http://127.0.0.1:${port}/`, { ...base, guard: { allowPrivateNetworks: false, allowSetting: 'TEST_ALLOW_PRIVATE' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect((err as Error).message).toMatch(/127\.0\.0\.1.*loopback.*TEST_ALLOW_PRIVATE=true/);
    // IPv4-compatible IPv6 spelling of the same address.
    await expect(guardedRequest(`http://[::127.0.0.1]:${port}/`, { ...base, guard: { allowPrivateNetworks: false } })).rejects.toBeInstanceOf(RefusedAddressError);
    expect(server.requests).toEqual([]);
  });

  it('allows loopback when allowPrivateNetworks is on', async () => {
    const { server } = await serve((_req, res) => res.end('reached'));
    const res = await guardedRequest(server.url('/'), { ...base, guard: { allowPrivateNetworks: true } });
    expect(res.body.toString()).toBe('reached');
  });

  it('re-checks every redirect hop: a redirect to a private host is refused', async () => {
    const { server } = await serve((_req, res) => res.writeHead(302, { location: 'http://private.test/admin' }).end());
    await expect(guardedRequest(server.url('/'), base)).rejects.toThrow(RefusedAddressError);
    expect(server.requests).toEqual(['GET /']);
  });

  it('follows 303 after POST as a GET without body, and drops credentials on a cross-origin hop', async () => {
    const target = await serve((_req, res) => res.end('done'));
    const start = await serve((_req, res) => res.writeHead(303, { location: target.server.url('/result') }).end());
    const res = await guardedRequest(start.server.url('/submit'), {
      ...base,
      method: 'POST',
      headers: { authorization: 'Bearer secret', 'content-type': 'text/plain', 'x-keep': '1' },
      body: 'payload',
    });
    expect(res).toMatchObject({ status: 200, url: target.server.url('/result'), redirects: [target.server.url('/result')] });
    expect(target.seen).toEqual([expect.objectContaining({ method: 'GET', url: '/result', body: '' })]);
    expect(target.seen[0]!.headers).not.toHaveProperty('authorization');
    expect(target.seen[0]!.headers).not.toHaveProperty('content-type');
    expect(target.seen[0]!.headers['x-keep']).toBe('1');
  });

  it('keeps method and body on a 307', async () => {
    const { server, seen } = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(307, { location: '/new' }).end();
      else res.end('ok');
    });
    await guardedRequest(server.url('/old'), { ...base, method: 'PUT', body: 'same' });
    expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual(['PUT /old same', 'PUT /new same']);
  });

  it('returns a 3xx as the response with maxRedirects 0, and fails past the limit otherwise', async () => {
    const { server } = await serve((req, res) => res.writeHead(301, { location: `${req.url}x` }).end());
    const res = await guardedRequest(server.url('/a'), { ...base, maxRedirects: 0 });
    expect(res).toMatchObject({ status: 301, redirects: [] });
    expect(res.headers.location).toBe('/ax');
    const err = await guardedRequest(server.url('/a'), { ...base, maxRedirects: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRedirectsError);
    expect(server.requests).toEqual(['GET /a', 'GET /a', 'GET /ax', 'GET /axx']);
  });

  it('fails with RequestTimeoutError when the server does not answer in time', async () => {
    const { server } = await serve(() => undefined);
    const err = await guardedRequest(server.url('/slow'), { ...base, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as RequestTimeoutError).timeoutMs).toBe(200);
  });

  it('stops reading past maxResponseBytes, announced or streamed, and names the cap', async () => {
    const { server } = await serve((req, res) => {
      if (req.url === '/announced') {
        res.writeHead(200, { 'content-length': '2000' }).end('x'.repeat(2000));
        return;
      }
      // Chunked, no length: the cap is found while reading.
      res.writeHead(200);
      res.write('y'.repeat(800));
      res.end('y'.repeat(800));
    });
    for (const path of ['/announced', '/streamed']) {
      const err = await guardedRequest(server.url(path), base).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect((err as Error).message).toMatch(/maxResponseBytes \(1024 bytes\)/);
    }
    // Exactly at the cap is fine.
    const { server: exact } = await serve((_req, res) => res.end('z'.repeat(1024)));
    expect((await guardedRequest(exact.url('/'), base)).body.length).toBe(1024);
  });

  it('applies the cap to the decoded body (a compression bomb is refused)', async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    const { server } = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    await expect(guardedRequest(server.url('/'), base)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('refuses URLs that are not absolute http(s)', async () => {
    await expect(guardedRequest('file:///etc/passwd', base)).rejects.toBeInstanceOf(UnsupportedUrlError);
    await expect(guardedRequest('/relative', base)).rejects.toThrow(/not an absolute URL/);
    const { server } = await serve((_req, res) => res.writeHead(302, { location: 'gopher://127.0.0.1/' }).end());
    await expect(guardedRequest(server.url('/'), base)).rejects.toThrow(/scheme gopher: is not allowed/);
  });

  it('throws the signal reason when aborted', async () => {
    const { server } = await serve(() => undefined);
    const controller = new AbortController();
    const pending = guardedRequest(server.url('/'), { ...base, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(pending).rejects.toThrow('shutting down');
  });
});
