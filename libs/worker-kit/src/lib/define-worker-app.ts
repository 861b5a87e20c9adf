import { Queue } from 'bullmq';
import type { DestinationStream } from 'pino';
import { bullMqConnection, queuePrefix, type QueueName } from '@jobs/queue-contracts';
import { ConfigError } from './config-error';
import { closeAppRedis, connectAppRedis, type AppRedis } from './connect-app-redis';
import { createLogger } from './create-logger';
import type { QueueWorkerOptions } from './create-queue-worker';
import type { JobHandlers } from './job-handler';
import { loadDotEnv } from './load-dot-env';
import type { Logger } from './logger-type';
import { Releasers } from './releasers';
import { runWorkerApp, type WorkerApp } from './run-worker-app';
import { startTracing, type Tracing } from './tracing/start-tracing';
import type { WorkerConfig } from './worker-config';

/** Exit code of a process whose configuration was refused. */
export const EXIT_CONFIG_ERROR = 2;
/** Exit code of a process whose start failed (a dependency unreachable, a port taken). */
export const EXIT_START_FAILED = 1;

/** What an app's `build` gets: its configuration and what the kit acquired for it. */
export interface WorkerAppContext<C> {
  readonly config: C;
  /** The process's root logger (bound `app: <name>`). */
  readonly log: Logger;
  /**
   * The kit's producer-side handle of the app's queue (the worker's too: stats, metrics, rate
   * limits), for an app that must reach its own jobs (promote, read); released by the kit.
   */
  readonly queue: Queue;
  /**
   * The app's Redis connection for its own keys (state, locks, records), named `<name>:state`
   * in `CLIENT LIST`; connected on first call (later calls give the same client), quit by the kit.
   * An ioredis `Cluster` in cluster mode: keep the app's keys under `appKeyPrefix(…)` so each
   * command and script touches one slot.
   * @throws Error naming the Redis when it cannot connect.
   */
  stateRedis(): Promise<AppRedis>;
  /**
   * Registers the release of something `build` acquired (a server, a client); releases run
   * newest first on shutdown, after the worker stopped, and on a start that fails later.
   */
  release(name: string, release: () => Promise<void> | void): void;
}

/** What an app's `build` returns. */
export interface WorkerAppParts<Q extends QueueName> {
  readonly handlers: JobHandlers<Q>;
  /** Maximum run time per job type over `WORKER_JOB_TIMEOUT_MS`; see `createQueueWorker`. */
  readonly jobTimeoutsMs?: QueueWorkerOptions<Q>['jobTimeoutsMs'];
  /**
   * Called when a job failed for good, including failures BullMQ makes without the handler (a
   * job stalled more than `WORKER_MAX_STALLED_COUNT` times); see `createQueueWorker`.
   */
  readonly onFailedForGood?: QueueWorkerOptions<Q>['onFailedForGood'];
}

/** One worker app: its name, queue, configuration and how its handlers are built. */
export interface WorkerAppSpec<Q extends QueueName, C extends { readonly worker: WorkerConfig }> {
  /** e.g. `email-worker`: the logger's `app`, the state connection's name, messages' first word. */
  readonly name: string;
  readonly queue: Q;
  /** Reads the app's configuration (usually `loadAppConfig`). @throws ConfigError */
  readonly loadConfig: (env: NodeJS.ProcessEnv) => C;
  /** Settings worth one log line at start (never secrets); default none. */
  readonly describe?: (config: C) => Record<string, unknown>;
  /** Wires the app's handlers from its configuration and what the kit acquired. */
  readonly build: (ctx: WorkerAppContext<C>) => Promise<WorkerAppParts<Q>> | WorkerAppParts<Q>;
}

/** Options of {@link WorkerAppDefinition.start}, for tests; production uses `main()`. */
export interface WorkerAppStartOptions {
  /** Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Listen for SIGTERM/SIGINT; default true. */
  readonly handleSignals?: boolean;
  /** Called with the exit code at the end of shutdown; default `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Where log lines go; default stdout. */
  readonly logDestination?: DestinationStream;
  /**
   * Where spans go instead of the OTLP exporter when tracing is on (`config.worker.tracing`);
   * tests pass a SimpleSpanProcessor over an InMemorySpanExporter.
   */
  readonly spanProcessors?: Parameters<typeof startTracing>[0]['spanProcessors'];
}

/** A defined worker app, started by `main()` in its entry point or `start()` in tests. */
export interface WorkerAppDefinition<C> {
  readonly name: string;
  /**
   * Configuration → logger → tracing (when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; its final flush
   * is the last release) → Redis state connection and queue handle (as the app uses them) →
   * the app's `build` → worker, probe and health server; every acquisition registered for
   * release, newest first, on shutdown or when a later step fails.
   * @throws ConfigError before anything is acquired; else the start's error, after releasing.
   */
  start(options?: WorkerAppStartOptions): Promise<WorkerApp & { readonly config: C }>;
  /**
   * The entry point: loads `.env` (set variables win), starts, and on a refused configuration
   * writes its one-line message to stderr and exits 2; on any other failed start writes the
   * stack and exits 1. Shutdown exits 0, or 1 when forced.
   * @returns the started app, or undefined when the start failed (the process is exiting).
   */
  main(): Promise<(WorkerApp & { readonly config: C }) | undefined>;
}

/**
 * How long the final span flush may take (ms): the time the force deadline leaves after the
 * grace, less a second for the rest of the shutdown, at most 10 s and at least 100 ms.
 */
function tracingFlushTimeoutMs(worker: WorkerConfig): number {
  return Math.max(100, Math.min(10_000, worker.shutdownForceMs - worker.shutdownGraceMs - 1000));
}

/**
 * Defines a worker app: the one skeleton every worker's `main.ts` uses, so configuration,
 * connections, start-up failures and shutdown are handled in one place for all of them.
 * Modelled on graphile-worker's releasers (src/lib.ts) for clean-up and Temporal's worker
 * options for the grace/force shutdown settings (`shutdownGraceMs`, `shutdownForceMs`).
 */
export function defineWorkerApp<Q extends QueueName, C extends { readonly worker: WorkerConfig }>(spec: WorkerAppSpec<Q, C>): WorkerAppDefinition<C> {
  const start = async (options: WorkerAppStartOptions = {}): Promise<WorkerApp & { readonly config: C }> => {
    const config = spec.loadConfig(options.env ?? process.env);
    const worker = config.worker;
    const log = createLogger({ level: worker.logLevel, name: spec.name, destination: options.logDestination });
    if (spec.describe) log.info(spec.describe(config), `${spec.name} settings`);
    const releasers = new Releasers(log);
    try {
      // First acquired, so last released: the spans of the last jobs are flushed after the
      // worker has stopped, within a share of the force deadline that leaves time to exit.
      let tracing: Tracing | undefined;
      if (worker.tracing.enabled || options.spanProcessors) {
        const started = startTracing({
          config: worker.tracing,
          serviceName: spec.name,
          log,
          flushTimeoutMs: tracingFlushTimeoutMs(worker),
          spanProcessors: options.spanProcessors,
        });
        releasers.add('tracing (flush the last spans)', () => started.shutdown());
        tracing = started;
      }
      const queueConnection = bullMqConnection(worker.redis, 'producer');
      const queue = new Queue(spec.queue, { connection: queueConnection.connection, prefix: queuePrefix(worker, spec.queue) });
      // The handle first, then (in cluster mode) the Cluster it was given, which BullMQ leaves open.
      releasers.add('queue handle', () => queue.close().finally(() => queueConnection.close()));
      queue.on('error', (err) => log.debug({ err }, 'queue connection error'));
      let state: Promise<AppRedis> | undefined;
      const stateRedis = () =>
        (state ??= connectAppRedis(worker.redis, `${spec.name}:state`, log).then((redis) => {
          releasers.add('state connection', () => closeAppRedis(redis));
          return redis;
        }));
      const parts = await spec.build({ config, log, queue, stateRedis, release: (name, fn) => releasers.add(name, fn) });
      const app = await runWorkerApp({
        queue: spec.queue,
        config: worker,
        log,
        handlers: parts.handlers,
        jobTimeoutsMs: parts.jobTimeoutsMs,
        onFailedForGood: parts.onFailedForGood,
        queueHandle: queue,
        telemetry: tracing?.telemetry,
        releasers,
        handleSignals: options.handleSignals,
        exit: options.exit,
      });
      return Object.assign(app, { config });
    } catch (err) {
      // runWorkerApp has released already when it failed; this covers `build` and what came before.
      await releasers.release().catch(() => undefined);
      throw err;
    }
  };

  return {
    name: spec.name,
    start,
    async main() {
      try {
        // `.env` of the current directory, if any; variables already set win.
        loadDotEnv();
        return await start();
      } catch (err) {
        if (err instanceof ConfigError) {
          // One line naming every missing or bad variable, already prefixed with the app's name.
          process.stderr.write(`${err.message}\n`);
          process.exit(EXIT_CONFIG_ERROR);
        }
        process.stderr.write(`${spec.name} failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(EXIT_START_FAILED);
      }
    },
  };
}
