import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What `/readyz` reports: ready, or not with the reasons why. */
export interface Readiness {
  ready: boolean;
  reasons: string[];
}

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: () => Promise<Readiness> | Readiness;
}

/** A listening health server. */
export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves, for orchestrators and Prometheus:
 * - `GET /healthz`: 200 while the process runs its event loop (liveness);
 * - `GET /readyz`: 200 `{ ready: true }` or 503 `{ ready: false, reasons }` (readiness);
 * - `GET /metrics`: the registry in Prometheus text format.
 * Anything else: 404.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    void (async () => {
      try {
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
        if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}\n');
        if (path === '/readyz') {
          const r = await options.readiness();
          return send(r.ready ? 200 : 503, 'application/json', `${JSON.stringify(r)}\n`);
        }
        if (path === '/metrics') {
          return send(200, options.registry.contentType, await options.registry.metrics());
        }
        send(404, 'text/plain', 'not found\n');
      } catch (err) {
        send(500, 'text/plain', `${(err as Error).message}\n`);
      }
    })();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
