import { formatZodError } from '@jobs/common';
import { DelayedError, Queue, UnrecoverableError, WaitingChildrenError, WaitingError, type Job, type Telemetry } from 'bullmq';
import {
  JOB_CONTRACTS,
  JobValidationError,
  bullMqConnection,
  jobNamesForQueue,
  queuePrefix,
  type BullMqConnection,
  type JobName,
  type JobNamesOf,
  type QueueName,
} from '@jobs/queue-contracts';
import { GuardedWorker } from './guarded-worker';
import type { JobHandler, JobHandlers } from './job-handler';
import { PermanentJobError } from './job-errors';
import type { Logger } from './logger-type';
import { mapJobError } from './map-job-error';
import { redactError } from './redact-error';
import { JobTimeoutError } from './job-timeout-error';
import { LazyAbortSignal } from './lazy-abort-signal';
import { LazyChildLogger } from './lazy-child-logger';
import { MAX_TIMER_MS, runWithJobTimeout } from './run-with-job-timeout';
import type { WorkerConfig } from './worker-config';
import { WorkerMetrics } from './worker-metrics';

/** The `job_name` metric label of jobs whose name is not one of the queue's contract. */
export const UNKNOWN_JOB_NAME_LABEL = 'unknown';

/** Options of {@link createQueueWorker}. */
export interface QueueWorkerOptions<Q extends QueueName> {
  readonly queue: Q;
  readonly handlers: JobHandlers<Q>;
  readonly config: WorkerConfig;
  readonly log: Logger;
  /** Start fetching jobs at once; default true. */
  readonly autorun?: boolean;
  /**
   * Maximum run time (ms) of one attempt per job type, over `config.jobTimeoutMs`
   * (`WORKER_JOB_TIMEOUT_MS`): e.g. `{ LEAD_ENRICHMENT: 2 * 3_600_000 }` for a type whose jobs
   * legitimately run long. Each value: an integer from 1 to {@link MAX_TIMER_MS}.
   */
  readonly jobTimeoutsMs?: Partial<Record<JobNamesOf<Q>, number>>;
  /** A queue handle of `queue` that the caller owns and closes; default one of its own, closed by `close()`. */
  readonly queueHandle?: Queue;
  /**
   * Called once a job failed for good (no attempts left, or unrecoverable), from the worker's
   * 'failed' event: also for failures BullMQ makes outside the handler, such as a job stalled
   * more than `config.maxStalledCount` times, which no handler sees. The job lock is gone by
   * then. A throw or rejection is logged and otherwise ignored; `close()` waits for hooks still
   * running before it closes the connections.
   */
  readonly onFailedForGood?: (job: Job, err: Error) => Promise<void> | void;
  /**
   * BullMQ telemetry of the worker (`startTracing(...).telemetry` when tracing is on): each job
   * runs in a CONSUMER `process <queue>` span that continues the trace stored in the job by its
   * producer, and the handler (its log lines, its outgoing HTTP calls) runs in that span's
   * context. Default none: no spans.
   */
  readonly telemetry?: Telemetry;
}

/** A running worker of one queue and what it owns. */
export interface QueueWorker {
  readonly worker: GuardedWorker;
  /** A producer-side queue handle, used for stats, rate limits and metrics. */
  readonly queue: Queue;
  readonly metrics: WorkerMetrics;
  /** Number of jobs this process is running now. */
  activeJobCount(): number;
  /**
   * Stops taking jobs and waits for running ones; after `graceMs` ms aborts their signals so
   * they are handed back to the queue (not failed, no attempt used). Then closes the worker
   * and queue connections. Idempotent.
   */
  close(graceMs: number): Promise<void>;
}

/** Whether `log` writes debug lines; true for a logger that cannot say (not pino). */
function isDebugEnabled(log: Logger): boolean {
  const check = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return check ? check.call(log, 'debug') : true;
}

/** Repeated worker errors (Redis reconnects) are logged at most once per this many ms. */
export const ERROR_LOG_INTERVAL_MS = 30_000;

/** Reason given to a job's AbortSignal when the shutdown grace runs out. */
export const SHUTDOWN_ABORT_REASON = 'worker shutting down';

/**
 * Builds the BullMQ worker of one queue from a map of job name → handler.
 *
 * Per job: stored data that is not JSON, or nested deeper than `MAX_JOB_DATA_DEPTH`, unknown job
 * names and data that fails its contract are failed at once (UnrecoverableError, no retries) with
 * the reason or field named; the handler gets a child logger (built on its first line) and an
 * AbortSignal (built when read: most handlers never look); its result is checked against the
 * contract. Per-job lines ('job started', 'job completed' with `durationMs`) are at `debug`: at
 * `info` a healthy job writes nothing, failures and deferrals still do (warn/error), and the
 * metrics count every job. An attempt runs at most `jobTimeoutsMs[name]` or
 * `config.jobTimeoutMs` ms: then its signal aborts with a `JobTimeoutError`, the attempt fails
 * with it (retried with backoff) and the slot is freed even if the handler never settles.
 * Errors thrown are mapped by `mapJobError` (waits, deferrals and rate limits with their bounds,
 * permanent failures) and redacted before BullMQ stores them. Metrics label jobs by name only for
 * the queue's contract names, others as {@link UNKNOWN_JOB_NAME_LABEL}, so made-up names written
 * to Redis cannot grow the series. Concurrency and limiter come from `config` (no BullMQ limiter
 * when `config.limiter` is undefined).
 * @throws Error when a `jobTimeoutsMs` value is not an integer from 1 to `MAX_TIMER_MS`.
 */
export function createQueueWorker<Q extends QueueName>(options: QueueWorkerOptions<Q>): QueueWorker {
  const { queue: queueName, config, log } = options;
  const handlers = options.handlers as Partial<Record<JobName, JobHandler<JobName>>>;
  const timeoutsMs = (options.jobTimeoutsMs ?? {}) as Partial<Record<JobName, number>>;
  for (const [name, ms] of Object.entries(timeoutsMs)) {
    if (!Number.isInteger(ms) || (ms as number) < 1 || (ms as number) > MAX_TIMER_MS) {
      throw new Error(`jobTimeoutsMs.${name} must be an integer from 1 to ${MAX_TIMER_MS} ms, got ${String(ms)}`);
    }
  }
  const contractNames = new Set<string>(jobNamesForQueue(queueName));
  const nameLabel = (name: string) => (contractNames.has(name) ? name : UNKNOWN_JOB_NAME_LABEL);
  const running = new Set<string>();

  const ownsQueue = options.queueHandle === undefined;
  // In cluster mode each of these is a Cluster the kit owns and closes after its BullMQ object.
  const prefix = queuePrefix(config, queueName);
  let queueConnection: BullMqConnection | undefined;
  const queue = options.queueHandle ?? new Queue(queueName, { connection: (queueConnection = bullMqConnection(config.redis, 'producer')).connection, prefix });
  const workerConnection = bullMqConnection(config.redis, 'worker');
  if (ownsQueue) queue.on('error', (err) => log.debug({ err }, 'queue connection error'));
  const metrics = new WorkerMetrics(queueName, () => running.size, [...contractNames]);

  // prom-client hashes a label object on every call; the children per job name are made once.
  const durations = new Map<
    string,
    {
      completed: ReturnType<typeof metrics.duration.labels>;
      failed: ReturnType<typeof metrics.duration.labels>;
      suspended: ReturnType<typeof metrics.duration.labels>;
      completedCount: ReturnType<typeof metrics.completed.labels>;
    }
  >();
  const durationsOf = (label: string) => {
    let d = durations.get(label);
    if (!d) {
      d = {
        completed: metrics.duration.labels({ queue: queueName, job_name: label, outcome: 'completed' }),
        failed: metrics.duration.labels({ queue: queueName, job_name: label, outcome: 'failed' }),
        suspended: metrics.duration.labels({ queue: queueName, job_name: label, outcome: 'suspended' }),
        completedCount: metrics.completed.labels({ queue: queueName, job_name: label }),
      };
      durations.set(label, d);
    }
    return d;
  };

  // Two parameters: BullMQ then builds no AbortController per job (it does for processors that
  // take a third); the kit makes the signal itself, only for handlers that read it, and keeps
  // it in worker.jobSignals so cancelJob / cancelAllJobs reach it.
  let graceOver = false;
  const processor = async (job: Job, token?: string): Promise<unknown> => {
    const name = job.name as JobName;
    const bindings = { queue: queueName, jobName: name, jobId: job.id, attempt: job.attemptsMade + 1 };
    // Built on first use: most handlers of a healthy job never log, and the two lines below
    // carry the same fields through the root logger without a child.
    const jobLog: Logger = new LazyChildLogger(log, bindings);
    const contract = JOB_CONTRACTS[name];
    const handler = handlers[name];
    if (!contract || contract.queue !== queueName || !handler) {
      throw new UnrecoverableError(`No handler for job name "${job.name}" on queue "${queueName}"`);
    }
    let parsed: ReturnType<typeof contract.data.safeParse>;
    try {
      parsed = contract.data.safeParse(job.data);
    } catch (err) {
      // GuardedWorker bounds the nesting, so this is not expected; if a schema still overflows
      // the stack on some input, the same input would on every retry.
      throw new UnrecoverableError(`job data could not be checked: ${redactError(err).message}`);
    }
    if (!parsed.success) {
      const message = new JobValidationError(name, parsed.error).message;
      jobLog.warn({ reason: message }, 'job data invalid: failing without retry');
      throw new UnrecoverableError(message);
    }

    const timeoutMs = timeoutsMs[name] ?? config.jobTimeoutMs;
    const timers = durationsOf(nameLabel(name));
    // performance.now(): a double, where hrtime.bigint() allocates two BigInts per job.
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const jobId = job.id ?? '';
    const abort = new LazyAbortSignal();
    running.add(jobId);
    worker.jobSignals.set(jobId, abort);
    // Checked first: at info the line's fields would be built for nothing on every job.
    const debug = isDebugEnabled(log);
    if (debug) log.debug(bindings, 'job started');
    try {
      const output = await runWithJobTimeout(
        () =>
          handler({
            job,
            data: parsed.data,
            log: jobLog,
            get signal() {
              return abort.signal;
            },
            updateProgress: (p) => job.updateProgress(p),
          }),
        timeoutMs,
        // The reason is the JobTimeoutError itself, as a handler's signal.reason.
        (error) => abort.abort(error),
      );
      const result = contract.result.safeParse(output);
      if (!result.success) {
        throw new PermanentJobError(`Handler returned an invalid ${name} result: ${formatZodError(result.error)}`);
      }
      const took = seconds();
      timers.completed.observe(took);
      if (debug) log.debug({ ...bindings, durationMs: Math.round(took * 1000) }, 'job completed');
      return result.data;
    } catch (err) {
      if (err instanceof DelayedError || err instanceof WaitingChildrenError || err instanceof WaitingError) {
        // The handler moved its own job (a workflow run suspending itself): BullMQ's control
        // flow, not a failure, passed on as it is (a redacted copy would be a plain failure).
        timers.suspended.observe(seconds());
        throw err;
      }
      timers.failed.observe(seconds());
      if (graceOver && abort.aborted && !(err instanceof JobTimeoutError)) {
        // Hand the job back rather than fail it: another worker (or this one, restarted) runs it
        // again from the start and no attempt is used. moveToDelayed with "now" makes it
        // runnable at once and releases our lock.
        jobLog.warn('shutdown grace ran out: handing the job back to the queue');
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      throw await mapJobError(err, { job, token, queue, config, log: jobLog });
    } finally {
      running.delete(jobId);
      worker.jobSignals.delete(jobId);
    }
  };

  const worker = new GuardedWorker(queueName, processor, {
    connection: workerConnection.connection,
    prefix,
    concurrency: config.concurrency,
    // Only when configured: BullMQ's limiter checks and counts in Redis on every job move.
    ...(config.limiter ? { limiter: { max: config.limiter.max, duration: config.limiter.durationMs } } : {}),
    lockDuration: config.lockDurationMs,
    stalledInterval: config.lockDurationMs,
    maxStalledCount: config.maxStalledCount,
    autorun: options.autorun ?? true,
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  // While Redis is away every reconnect attempt raises 'error': log the first at once, then
  // at most one line per ERROR_LOG_INTERVAL_MS with the count, instead of hundreds of stacks.
  let lastErrorLogAt = 0;
  let suppressedErrors = 0;
  worker.on('error', (err) => {
    if (Date.now() - lastErrorLogAt < ERROR_LOG_INTERVAL_MS) {
      suppressedErrors += 1;
      return;
    }
    log.error({ err, suppressedSinceLast: suppressedErrors }, 'worker error');
    lastErrorLogAt = Date.now();
    suppressedErrors = 0;
  });
  worker.on('stalled', (jobId) => {
    metrics.stalled.inc({ queue: queueName });
    log.warn({ queue: queueName, jobId }, 'job stalled (its worker died or lost the lock): moved back to wait');
  });
  /** onFailedForGood calls still running, awaited by close(). */
  const failureHooks = new Set<Promise<void>>();
  worker.on('completed', (job) => durationsOf(nameLabel(job.name)).completedCount.inc());
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    metrics.failed.inc({ queue: queueName, job_name: nameLabel(job.name), final: String(final) });
    const jobLog = log.child({ queue: queueName, jobName: job.name, jobId: job.id, attempt: job.attemptsMade });
    if (final) jobLog.error({ err }, 'job failed: no attempts left');
    else jobLog.warn({ err }, 'job failed: will retry');
    const hook = options.onFailedForGood;
    if (final && hook) {
      const pending = Promise.resolve()
        .then(() => hook(job, err))
        .catch((hookErr: unknown) => jobLog.warn({ err: hookErr }, 'onFailedForGood hook failed'))
        .finally(() => failureHooks.delete(pending));
      failureHooks.add(pending);
    }
  });

  let closing: Promise<void> | undefined;
  return {
    worker,
    queue,
    metrics,
    activeJobCount: () => running.size,
    close(graceMs) {
      closing ??= (async () => {
        const timer = setTimeout(() => {
          if (running.size > 0) {
            log.warn({ graceMs, running: [...running] }, 'shutdown grace over: aborting running jobs');
            graceOver = true;
            worker.cancelAllJobs(SHUTDOWN_ABORT_REASON);
          }
        }, graceMs);
        timer.unref();
        try {
          await worker.close();
          await Promise.allSettled([...failureHooks]);
        } finally {
          clearTimeout(timer);
          await workerConnection.close();
          if (ownsQueue) await queue.close().catch((err) => log.warn({ err }, 'closing the queue failed'));
          await queueConnection?.close();
        }
      })();
      return closing;
    },
  };
}
