import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CRAWL_OPTIONS } from './crawl-options';
import { RefusedAddressError } from '@jobs/net-guard';
import { runSeoAudit } from './run-seo-audit';
import { silentLogger } from './test-support/silent-logger';

// A real crawl aimed at IPv6 spellings of this machine's loopback: the guard must refuse each
// before any socket is opened. The server listens on every local address, IPv4 and IPv6
// (dual stack), so a connection that got through by any route would be counted.
describe('runSeoAudit refuses IPv6 addresses that embed a non-public IPv4 address', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>reached</title>');
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '::', ipv6Only: false }, resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ['IPv4-compatible, dotted', '::127.0.0.1', '::7f00:1', 'loopback'],
    ['IPv4-compatible, hex, uncompressed', '0:0:0:0:0:0:7f00:1', '::7f00:1', 'loopback'],
    ['IPv4-compatible metadata address', '::169.254.169.254', '::a9fe:a9fe', 'linkLocal'],
    ['IPv4-mapped', '::ffff:127.0.0.1', '::ffff:7f00:1', 'loopback'],
    ['IPv4-translated', '::ffff:0:127.0.0.1', '::ffff:0:7f00:1', 'loopback'],
    ['NAT64', '64:ff9b::127.0.0.1', '64:ff9b::7f00:1', 'loopback'],
    ['NAT64 local-use', '64:ff9b:1::127.0.0.1', '64:ff9b:1::7f00:1', 'nat64LocalUse'],
    ['6to4', '2002:7f00:1::1', '2002:7f00:1::1', 'loopback'],
    ['Teredo with a loopback server', '2001:0:7f00:1::', '2001:0:7f00:1::', 'loopback'],
  ])('refuses a start URL on the %s form, opening no connection', async (_form, literal, address, reason) => {
    const url = `http://[${literal}]:${port}/`;
    const err = await runSeoAudit(
      { userId: 'u1', websiteUrl: url, depth: 1, includeCompetitors: false },
      {
        options: { ...DEFAULT_CRAWL_OPTIONS, allowPrivateNetworks: false, requestTimeoutMs: 2000 },
        log: silentLogger(),
        signal: new AbortController().signal,
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect(err).toMatchObject({ hostname: address, address, reason });
    expect({ connections, requests }).toEqual({ connections: 0, requests: 0 });
  });
});
