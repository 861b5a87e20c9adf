import type { Server as HttpServer, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestServer } from './start-test-server';

/**
 * Listens with `server` (HTTP or HTTPS, created without a handler) on `host` at a free port and
 * returns it as a {@link TestServer}: every request is logged in `requests`, then given to
 * `handler`; `origin` uses `scheme` (`'http'` or `'https'`); `close()` cuts open connections.
 * Shared by `startTestServer` and the fake Graph server's TLS variant so both log and close alike.
 */
export async function listenTestServer(
  server: HttpServer | HttpsServer,
  handler: RequestListener,
  scheme: 'http' | 'https',
  host: string,
): Promise<TestServer> {
  const requests: string[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    origin,
    requests,
    url: (path) => new URL(path, origin).href,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
