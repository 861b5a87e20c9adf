import { Redis } from 'ioredis';
import { describeRedis, ioRedisOptions, withTimeout, type QueueName } from '@jobs/queue-contracts';
import { createQueueWorker, type QueueWorker, type QueueWorkerOptions } from './create-queue-worker';
import { EvictionGate } from './eviction-gate';
import { GracefulShutdown } from './graceful-shutdown';
import { startHealthServer, type HealthServer, type Readiness } from './health-server';
import type { JobHandlers } from './job-handler';
import type { Logger } from './logger-type';
import type { WorkerConfig } from './worker-config';

/** Options of {@link runWorkerApp}. */
export interface WorkerAppOptions<Q extends QueueName> {
  readonly queue: Q;
  readonly handlers: JobHandlers<Q>;
  readonly config: WorkerConfig;
  readonly log: Logger;
  /** Maximum run time per job type over `WORKER_JOB_TIMEOUT_MS`; see `createQueueWorker`. */
  readonly jobTimeoutsMs?: QueueWorkerOptions<Q>['jobTimeoutsMs'];
  /** Extra clean-up after the worker and queue are closed (the app's own clients). */
  readonly onClose?: () => Promise<void> | void;
  /** Listen for SIGTERM/SIGINT; default true. */
  readonly handleSignals?: boolean;
  /** Passed to {@link GracefulShutdown}; default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/** A started worker app. */
export interface WorkerApp {
  readonly queueWorker: QueueWorker;
  readonly health: HealthServer;
  readonly shutdown: GracefulShutdown;
  readiness(): Promise<Readiness>;
}

/**
 * Starts one worker app: the queue worker, the health server, and the shutdown sequence.
 *
 * Jobs are taken only once Redis has answered that its `maxmemory-policy` is `noeviction` (or
 * refused to say, as managed Redis may; or `WORKER_ALLOW_EVICTING_REDIS` is set): on an evicting
 * Redis `/readyz` answers 503 naming the policy and no job is taken (see `EvictionGate`).
 *
 * Shutdown order (first signal): mark not ready → stop taking jobs and let running ones
 * finish for 80 % of `shutdownTimeoutMs` (then abort them, which hands them back) → close
 * the worker and queue connections → `onClose` → close the health server → exit 0. A second
 * signal or `shutdownTimeoutMs` passing forces exit 1.
 */
export async function runWorkerApp<Q extends QueueName>(options: WorkerAppOptions<Q>): Promise<WorkerApp> {
  const { config, log, queue } = options;
  // Jobs are fetched only once the health server listens: a port conflict then fails the start
  // before any job is taken.
  const queueWorker = createQueueWorker({
    queue,
    handlers: options.handlers,
    config,
    log,
    autorun: false,
    jobTimeoutsMs: options.jobTimeoutsMs,
  });
  // A connection of its own for /readyz and the start-up checks, so probes never queue
  // behind the worker's blocking commands.
  const probe = new Redis({ ...ioRedisOptions(config.redis, 'producer'), connectionName: `${queue}:probe` });
  probe.on('error', (err) => log.debug({ err }, 'probe connection error'));
  const shutdown = new GracefulShutdown({ log, timeoutMs: config.shutdownTimeoutMs, exit: options.exit });
  const worker = queueWorker.worker;
  let started = false;
  const gate = new EvictionGate({
    probe,
    log,
    allowEvicting: config.allowEvictingRedis,
    open: () => {
      if (shutdown.isShuttingDown) return;
      if (!started) {
        started = true;
        worker.run().catch((err: unknown) => log.error({ err }, 'worker stopped with an error'));
      } else if (worker.isPaused()) {
        worker.resume().catch((err: unknown) => log.error({ err }, 'resuming the worker failed'));
      }
    },
    // Running jobs finish; no new ones are fetched.
    close: () => {
      if (started && !worker.isPaused()) worker.pause(true).catch((err: unknown) => log.error({ err }, 'pausing the worker failed'));
    },
  });

  const readiness = async (): Promise<Readiness> => {
    const reasons: string[] = [];
    if (shutdown.isShuttingDown) reasons.push('shutting down');
    if (gate.reason) {
      reasons.push(gate.reason);
      // Re-asked while closed, so a policy fixed by an operator lets the worker start.
      if (probe.status === 'ready' && !shutdown.isShuttingDown) void gate.check();
    }
    if (!worker.isRunning()) reasons.push('worker not running');
    if (probe.status !== 'ready') reasons.push(`redis ${probe.status}`);
    else {
      try {
        await withTimeout(probe.ping(), 1000, () => new Error('no PING answer within 1000 ms'));
      } catch (err) {
        reasons.push(`redis unreachable: ${(err as Error).message}`);
      }
    }
    return { ready: reasons.length === 0, reasons };
  };

  const health = await startHealthServer({
    host: config.health.host,
    port: config.health.port,
    registry: queueWorker.metrics.registry,
    readiness,
  });

  shutdown
    .add('close worker', () => queueWorker.close(Math.floor(config.shutdownTimeoutMs * 0.8)))
    .add('close app clients', () => options.onClose?.())
    .add('close probe connection', () => void probe.disconnect())
    .add('close health server', () => health.close());
  if (options.handleSignals ?? true) shutdown.install();

  log.info(
    {
      queue,
      redis: describeRedis(config.redis),
      prefix: config.prefix,
      concurrency: config.concurrency,
      limiter: config.limiter,
      healthPort: health.port,
    },
    'worker started',
  );
  // Asked on every (re)connect: a failover may land on a server with another policy.
  probe.on('ready', () => void gate.check());
  if (probe.status === 'ready') void gate.check();
  return { queueWorker, health, shutdown, readiness };
}
