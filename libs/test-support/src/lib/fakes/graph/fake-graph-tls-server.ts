import type { RequestListener } from 'node:http';
import { createServer } from 'node:https';
import { listenTestServer } from '../../listen-test-server';
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
  return listenTestServer(createServer({ key: tls.keyPem, cert: tls.certPem }), handler, 'https', '127.0.0.1');
}
