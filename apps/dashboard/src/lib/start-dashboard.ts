import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ALL_QUEUE_NAMES, bullMqConnection, describeRedis, queuePrefix, type BullMqConnection } from '@jobs/queue-contracts';
import { closeAppRedis, GracefulShutdown, QueueDepthMetrics, Releasers, startHealthServer, type HealthServer, type Logger, type Readiness } from '@jobs/worker-kit';
import type { DashboardConfig } from '../config';
import type { BoardAnswerCeiling } from './board-answer-ceiling';
import { createDashboardApp } from './create-dashboard-app';
import { dashboardKeyPrefix } from './dashboard-key-prefix';
import { openDashboardRedis } from './open-dashboard-redis';
import { redisReadinessReasons } from './redis-readiness-reasons';
import type { LoginRateLimit } from './login-rate-limit';
import type { LoginThrottle } from './login-throttle';
import { SessionsValidAfter } from './sessions-valid-after';

/** How long `/readyz` waits for Redis (each master of a cluster) to answer PING, in ms. */
export const READINESS_PING_TIMEOUT_MS = 2000;

/** Options of {@link startDashboard}. */
export interface StartDashboardOptions {
  readonly config: DashboardConfig;
  readonly log: Logger;
  /** Listen for SIGTERM/SIGINT; default true. */
  readonly handleSignals?: boolean;
  /** Called with the exit code at the end of shutdown; default `process.exit`. */
  readonly exit?: (code: number) => void;
  readonly throttle?: LoginThrottle;
  readonly rateLimit?: LoginRateLimit;
  /** How long a user's logout marker read from Redis is trusted, in ms; default 5 000. */
  readonly sessionsCacheMs?: number;
  /** Clock of sessions, epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** How long a Bull Board API call may take before a 503; default `BOARD_ANSWER_CEILING_DEFAULTS` (reads 10 s, writes 30 s). */
  readonly boardAnswerCeiling?: BoardAnswerCeiling;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** `http://<host>:<port>` of the UI server (the base path not included). */
  readonly origin: string;
  readonly port: number;
  readonly health: HealthServer;
  readonly registry: Registry;
  readonly shutdown: GracefulShutdown;
  readiness(): Promise<Readiness>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the dashboard: one BullMQ `Queue` handle per queue of `ALL_QUEUE_NAMES`, each on its own
 * `bullMqConnection(config.redis, 'producer')` (an ioredis `Cluster` in cluster mode) under
 * `queuePrefix(config, queue)` — the prefix producers and workers use (`<prefix>:{group}` on a
 * cluster) → a probe and a logout-marker connection of its own (`openDashboardRedis`; markers
 * under `dashboardKeyPrefix`) → the health server (`/healthz`, `/readyz` = the probe connection is
 * ready and Redis answers PING — on a cluster every master, each one that does not named, see
 * `redisReadinessReasons` — and not shutting down, `/metrics` = default process metrics + the
 * kit's `QueueDepthMetrics` over every queue: the one place per deployment exporting queue
 * depth) → the UI's HTTP server, whose Bull Board API calls get 503 at once while the probe
 * connection is not ready (see `createDashboardApp`).
 *
 * Shutdown (first SIGTERM/SIGINT, or `shutdown.shutdown()`): not ready → UI server stops accepting
 * and its connections, keep-alive ones included, are closed → health server → its own
 * connections → queue handles, each followed by its connection → exit 0;
 * `config.shutdownTimeoutMs` passing forces exit 1. A start that fails (a port taken) releases
 * what it had acquired before rethrowing.
 * @throws whatever failed the start (EADDRINUSE …), after releasing.
 */
export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const { config, log } = options;
  const releasers = new Releasers(log);
  try {
    // Registered before the first is opened, so a start failing midway closes those opened.
    const opened: { queue: Queue; connection: BullMqConnection }[] = [];
    releasers.add('queues', async () => {
      // BullMQ never closes a Cluster it was given: each queue's own connection goes after it.
      await Promise.all(opened.map(async ({ queue, connection }) => {
        await queue.close();
        await connection.close();
      }));
    });
    const queues = ALL_QUEUE_NAMES.map((name) => {
      const connection = bullMqConnection(config.redis, 'producer');
      const queue = new Queue(name, { connection: connection.connection, prefix: queuePrefix(config, name) });
      queue.on('error', (err) => log.debug({ err, queue: name }, 'queue connection error'));
      opened.push({ queue, connection });
      return queue;
    });
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    new QueueDepthMetrics({ registry, queues });

    // A connection of its own for /readyz: a Queue's clients are BullMQ's business.
    const probe = openDashboardRedis(config.redis, 'dashboard:probe', log);
    releasers.add('probe connection', () => closeAppRedis(probe));
    // Logout markers: a connection of its own too, so a slow Bull Board call never delays authentication.
    const sessionsRedis = openDashboardRedis(config.redis, 'dashboard:sessions', log);
    releasers.add('sessions connection', () => closeAppRedis(sessionsRedis));
    const sessions = new SessionsValidAfter({ redis: sessionsRedis, keyPrefix: dashboardKeyPrefix(config), markerTtlMs: config.sessionTtlMs, cacheMs: options.sessionsCacheMs, now: options.now });
    let stopping = false;
    const readiness = async (): Promise<Readiness> => {
      if (stopping) return { ready: false, reasons: ['shutting down'] };
      // Commands are not queued while disconnected (producer options): say so plainly.
      if (probe.status !== 'ready') return { ready: false, reasons: [`redis ${probe.status}`] };
      const reasons = await redisReadinessReasons(probe, READINESS_PING_TIMEOUT_MS);
      return { ready: reasons.length === 0, reasons };
    };
    const health = await startHealthServer({ host: config.health.host, port: config.health.port, registry, readiness });
    releasers.add('health server', () => health.close());

    const app = createDashboardApp({
      config,
      queues,
      log,
      throttle: options.throttle,
      rateLimit: options.rateLimit,
      sessions,
      now: options.now,
      redisReady: () => probe.status === 'ready',
      boardAnswerCeiling: options.boardAnswerCeiling,
    });
    const server = createServer(app);
    server.keepAliveTimeout = 5000;
    await listen(server, config.http.port, config.http.host);
    releasers.add('http server', () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    });
    const port = (server.address() as AddressInfo).port;
    const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;

    const shutdown = new GracefulShutdown({ log, timeoutMs: config.shutdownTimeoutMs, exit: options.exit });
    shutdown.add('not ready', () => {
      stopping = true;
    });
    shutdown.add('release', () => releasers.release());
    if (options.handleSignals ?? true) shutdown.install();
    log.info({ url: `http://${host}:${port}${config.basePath}`, healthPort: health.port, redis: describeRedis(config.redis), prefix: config.prefix, queues: ALL_QUEUE_NAMES }, 'dashboard started');
    return { origin: `http://${host}:${port}`, port, health, registry, shutdown, readiness };
  } catch (err) {
    log.error({ err }, 'start failed: releasing what was acquired');
    await releasers.release().catch(() => undefined);
    throw err;
  }
}
