import type { RequestListener } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestServer } from '../../start-test-server';

/**
 * Like `startTestServer`, but HTTPS with the given PEM key and certificate: `handler` on
 * `127.0.0.1` at a free port, `origin` is `https://127.0.0.1:PORT`. `close()` cuts open
 * (keep-alive) connections.
 */
export async function startTlsTestServer(
  handler: RequestListener,
  tls: { readonly keyPem: string; readonly certPem: string },
): Promise<TestServer> {
  const requests: string[] = [];
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
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
