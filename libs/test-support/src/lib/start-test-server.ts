import { createServer, type RequestListener } from 'node:http';
import { listenTestServer } from './listen-test-server';

/** A real HTTP server on a loopback port, for tests. */
export interface TestServer {
  /** `http://host:port`, no trailing slash. */
  readonly origin: string;
  /** Every request seen, as `METHOD /path?query`, in arrival order. */
  readonly requests: string[];
  /** Absolute URL of `path` on this server. */
  url(path: string): string;
  /** Stops listening and cuts open connections (keep-alive or hanging ones). */
  close(): Promise<void>;
}

/**
 * Starts `handler` on `host` (default `127.0.0.1`) at a free port (port 0), so tests run real
 * HTTP over loopback and never collide.
 */
export async function startTestServer(
  handler: RequestListener,
  host = '127.0.0.1',
): Promise<TestServer> {
  return listenTestServer(createServer(), handler, 'http', host);
}
