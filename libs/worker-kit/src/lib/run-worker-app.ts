import type { Queue, Telemetry } from 'bullmq';
import { describeRedis, type QueueName } from '@jobs/queue-contracts';
import { createQueueWorker, type QueueWorker, type QueueWorkerOptions } from './create-queue-worker';
import { EvictionGate } from './eviction-gate';
import { GracefulShutdown } from './graceful-shutdown';
import { startHealthServer, type HealthServer, type Readiness } from './health-server';
import type { JobHandlers } from './job-handler';
import type { Logger } from './logger-type';
import { openRedisProbe } from './open-redis-probe';
import { Releasers } from './releasers';
import type { WorkerConfig } from './worker-config';

/** Options of {@link runWorkerApp}. */
export interface WorkerAppOptions<Q extends QueueName> {
  readonly queue: Q;
  readonly handlers: JobHandlers<Q>;
  readonly config: WorkerConfig;
  readonly log: Logger;
  /** Maximum run time per job type over `WORKER_JOB_TIMEOUT_MS`; see `createQueueWorker`. */
  readonly jobTimeoutsMs?: QueueWorkerOptions<Q>['jobTimeoutsMs'];
  /** Called when a job failed for good; see `createQueueWorker`. */
  readonly onFailedForGood?: QueueWorkerOptions<Q>['onFailedForGood'];
  /** BullMQ telemetry of the worker (tracing on); see `createQueueWorker`. Default none. */
  readonly telemetry?: Telemetry;
  /** Extra clean-up after the worker and queue are closed (the app's own clients). */
  readonly onClose?: () => Promise<void> | void;
  /**
   * A queue handle the caller owns (and closes): the worker uses it for stats, metrics and rate
   * limits instead of opening a second one. Default: one of the worker's own.
   */
  readonly queueHandle?: Queue;
  /**
   * What the caller acquired before, to release after what this function acquires, newest first
   * (see {@link Releasers}); released here too when the start fails. Default: an empty stack.
   */
  readonly releasers?: Releasers;
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
  /** Everything acquired, caller's first; released by `shutdown` after the worker stopped. */
  readonly releasers: Releasers;
  readiness(): Promise<Readiness>;
}

/**
 * Starts one worker app: the queue worker, the health server, and the shutdown sequence.
 *
 * Jobs are taken only once Redis has answered that its `maxmemory-policy` is `noeviction` (or
 * refused to say, as managed Redis may; or `WORKER_ALLOW_EVICTING_REDIS` is set): on an evicting
 * Redis `/readyz` answers 503 naming the policy and no job is taken (see `EvictionGate`).
 *
 * `/readyz` asks Redis on a connection of its own (see `openRedisProbe`). In cluster mode
 * (`REDIS_CLUSTER_NODES`) it judges the whole cluster: ready only while the Cluster client is
 * ready and every master answers PING with `cluster_state:ok`, the reasons naming each master
 * that does not (`host:port`); the eviction policy is read from every master, and asked again
 * at every readiness probe, so one master set to an evicting policy stops the worker taking jobs.
 *
 * Shutdown order (first signal): mark not ready → stop taking jobs and let running ones
 * finish for `shutdownGraceMs` (then abort their signals; a job that stops is handed back) →
 * release everything acquired, newest first (health server, probe connection, worker and its
 * connections, `onClose`, then the caller's `releasers`) → exit 0. A second signal or
 * `shutdownForceMs` passing forces exit 1. A start that fails (the health port taken) releases
 * what it had acquired the same way before it rethrows, so no connection is left open.
 * @throws whatever failed the start (e.g. EADDRINUSE from the health server), after releasing.
 */
export async function runWorkerApp<Q extends QueueName>(options: WorkerAppOptions<Q>): Promise<WorkerApp> {
  const { log, queue } = options;
  const releasers = options.releasers ?? new Releasers(log);
  const onClose = options.onClose;
  if (onClose) releasers.add('app clients', onClose);
  try {
    return await startWorkerApp(options, releasers);
  } catch (err) {
    log.error({ err, queue }, 'start failed: releasing what was acquired');
    await releasers.release().catch(() => undefined);
    throw err;
  }
}

async function startWorkerApp<Q extends QueueName>(options: WorkerAppOptions<Q>, releasers: Releasers): Promise<WorkerApp> {
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
    onFailedForGood: options.onFailedForGood,
    queueHandle: options.queueHandle,
    telemetry: options.telemetry,
  });
  releasers.add('worker', () => queueWorker.close(config.shutdownGraceMs));
  // A connection of its own for /readyz and the start-up checks, so probes never queue
  // behind the worker's blocking commands: one to a standalone Redis, a Cluster client judging
  // every master in cluster mode (see openRedisProbe).
  const probe = openRedisProbe(config.redis, `${queue}:probe`, log);
  releasers.add('probe connection', () => probe.close());
  const shutdown = new GracefulShutdown({ log, timeoutMs: config.shutdownForceMs, exit: options.exit });
  const worker = queueWorker.worker;
  let started = false;
  const gate = new EvictionGate({
    probe: probe.client,
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
    const asking = probe.isReady && !shutdown.isShuttingDown;
    // On a cluster the policy is asked at every probe (see RedisProbe), while the masters are.
    let redisReasons: Promise<string[]> | undefined;
    if (probe.recheckEvictionEveryProbe) {
      redisReasons = probe.reasons();
      if (asking) await gate.check();
    }
    if (gate.reason) {
      reasons.push(gate.reason);
      // Re-asked while closed, so a policy fixed by an operator lets the worker start.
      if (asking && !probe.recheckEvictionEveryProbe) void gate.check();
    }
    if (!worker.isRunning()) reasons.push('worker not running');
    reasons.push(...(await (redisReasons ?? probe.reasons())));
    return { ready: reasons.length === 0, reasons };
  };

  const health = await startHealthServer({
    host: config.health.host,
    port: config.health.port,
    registry: queueWorker.metrics.registry,
    readiness,
  });

  releasers.add('health server', () => health.close());
  // The worker drains first, while the health server still answers; releasing it again below
  // is a no-op (its close is idempotent).
  shutdown
    .add('stop taking jobs and let running ones finish', () => queueWorker.close(config.shutdownGraceMs))
    .add('release what was acquired', () => releasers.release());
  if (options.handleSignals ?? true) shutdown.install();

  log.info(
    {
      queue,
      redis: describeRedis(config.redis),
      prefix: config.prefix,
      concurrency: config.concurrency,
      limiter: config.limiter,
      shutdownGraceMs: config.shutdownGraceMs,
      shutdownForceMs: config.shutdownForceMs,
      healthPort: health.port,
    },
    'worker started',
  );
  // Asked on every (re)connect: a failover may land on a server with another policy.
  probe.onConnected(() => void gate.check());
  if (probe.isReady) void gate.check();
  return { queueWorker, health, shutdown, releasers, readiness };
}
