import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  JOB_CONTRACTS,
  JobValidationError,
  formatZodError,
  ioRedisOptions,
  readQueueStats,
  type JobName,
  type QueueName,
} from '@jobs/queue-contracts';
import type { JobHandler, JobHandlers } from './job-handler';
import { PermanentJobError, RetryLaterError, WaitError, WorkerRateLimitError } from './job-errors';
import type { Logger } from './logger-type';
import type { WorkerConfig } from './worker-config';
import { WorkerMetrics } from './worker-metrics';

/** Options of {@link createQueueWorker}. */
export interface QueueWorkerOptions<Q extends QueueName> {
  readonly queue: Q;
  readonly handlers: JobHandlers<Q>;
  readonly config: WorkerConfig;
  readonly log: Logger;
  /** Start fetching jobs at once; default true. */
  readonly autorun?: boolean;
}

/** A running worker of one queue and what it owns. */
export interface QueueWorker {
  readonly worker: Worker;
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

/** Repeated worker errors (Redis reconnects) are logged at most once per this many ms. */
export const ERROR_LOG_INTERVAL_MS = 30_000;

/** Reason given to a job's AbortSignal when the shutdown grace runs out. */
export const SHUTDOWN_ABORT_REASON = 'worker shutting down';

/**
 * Builds the BullMQ worker of one queue from a map of job name → handler.
 *
 * Per job: unknown job names and data that fails its contract are failed at once
 * (UnrecoverableError, no retries) with the field named; the handler gets a child logger and an
 * AbortSignal; its result is checked against the contract. Errors thrown are mapped:
 * PermanentJobError → fail now; RetryLaterError → delayed by its `delayMs`, attempt not used
 * (until the job is `config.retryLaterMaxAgeMs` old; then it is retried as a failure); WaitError →
 * delayed by its `delayMs`, no attempt used, no age limit (a planned wait);
 * WorkerRateLimitError → whole queue rate-limited for `delayMs`, attempt not used; anything
 * else → retried with the job's backoff. Concurrency and limiter come from `config`.
 */
export function createQueueWorker<Q extends QueueName>(options: QueueWorkerOptions<Q>): QueueWorker {
  const { queue: queueName, config, log } = options;
  const handlers = options.handlers as Partial<Record<JobName, JobHandler<JobName>>>;
  const running = new Set<string>();
  let shuttingDown = false;

  const queue = new Queue(queueName, { connection: ioRedisOptions(config.redis, 'producer'), prefix: config.prefix });
  queue.on('error', (err) => log.debug({ err }, 'queue connection error'));
  const metrics = new WorkerMetrics(queueName, () => readQueueStats(queue));

  const processor = async (job: Job, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const name = job.name as JobName;
    const jobLog = log.child({ queue: queueName, jobName: name, jobId: job.id, attempt: job.attemptsMade + 1 });
    const contract = JOB_CONTRACTS[name];
    const handler = handlers[name];
    if (!contract || contract.queue !== queueName || !handler) {
      throw new UnrecoverableError(`No handler for job name "${job.name}" on queue "${queueName}"`);
    }
    const parsed = contract.data.safeParse(job.data);
    if (!parsed.success) {
      const message = new JobValidationError(name, parsed.error).message;
      jobLog.warn({ reason: message }, 'job data invalid: failing without retry');
      throw new UnrecoverableError(message);
    }

    const abortSignal = signal ?? new AbortController().signal;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    running.add(job.id ?? '');
    metrics.active.set({ queue: queueName }, running.size);
    jobLog.info('job started');
    try {
      const output = await handler({
        job,
        data: parsed.data,
        log: jobLog,
        signal: abortSignal,
        updateProgress: (p) => job.updateProgress(p),
      });
      const result = contract.result.safeParse(output);
      if (!result.success) {
        throw new PermanentJobError(`Handler returned an invalid ${name} result: ${formatZodError(result.error)}`);
      }
      metrics.duration.observe({ queue: queueName, job_name: name, outcome: 'completed' }, seconds());
      jobLog.info({ durationMs: Math.round(seconds() * 1000) }, 'job completed');
      return result.data;
    } catch (err) {
      metrics.duration.observe({ queue: queueName, job_name: name, outcome: 'failed' }, seconds());
      if (abortSignal.aborted && shuttingDown) {
        // Hand the job back rather than fail it: another worker (or this one, restarted) runs it
        // again from the start and no attempt is used. moveToDelayed with "now" makes it
        // runnable at once and releases our lock.
        jobLog.warn('shutdown grace ran out: handing the job back to the queue');
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      throw await mapError(err, job, token, jobLog);
    } finally {
      running.delete(job.id ?? '');
      metrics.active.set({ queue: queueName }, running.size);
    }
  };

  const mapError = async (err: unknown, job: Job, token: string | undefined, jobLog: typeof log): Promise<Error> => {
    if (err instanceof WaitError) {
      jobLog.info({ delayMs: err.delayMs, reason: err.message }, 'job waiting');
      await job.moveToDelayed(Date.now() + err.delayMs, token);
      return new DelayedError();
    }
    if (err instanceof RetryLaterError && Date.now() - job.timestamp > config.retryLaterMaxAgeMs) {
      jobLog.warn(
        { reason: err.message, retryLaterMaxAgeMs: config.retryLaterMaxAgeMs },
        'deferred for too long: this deferral uses an attempt',
      );
      return err;
    }
    if (err instanceof RetryLaterError) {
      jobLog.warn({ delayMs: err.delayMs, reason: err.message }, 'retrying later without using an attempt');
      await job.moveToDelayed(Date.now() + err.delayMs, token);
      return new DelayedError();
    }
    if (err instanceof WorkerRateLimitError) {
      jobLog.warn({ delayMs: err.delayMs, reason: err.message }, 'rate limited: pausing the queue');
      await queue.rateLimit(err.delayMs);
      return Worker.RateLimitError();
    }
    if (err instanceof PermanentJobError) return new UnrecoverableError(err.message);
    // Anything else is transient: retried with the job's backoff.
    return err instanceof Error ? err : new Error(String(err));
  };

  const worker = new Worker(queueName, processor, {
    connection: ioRedisOptions(config.redis, 'worker'),
    prefix: config.prefix,
    concurrency: config.concurrency,
    limiter: { max: config.limiter.max, duration: config.limiter.durationMs },
    lockDuration: config.lockDurationMs,
    stalledInterval: config.lockDurationMs,
    autorun: options.autorun ?? true,
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
  worker.on('completed', (job) => metrics.completed.inc({ queue: queueName, job_name: job.name }));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    metrics.failed.inc({ queue: queueName, job_name: job.name, final: String(final) });
    const jobLog = log.child({ queue: queueName, jobName: job.name, jobId: job.id, attempt: job.attemptsMade });
    if (final) jobLog.error({ err }, 'job failed: no attempts left');
    else jobLog.warn({ err }, 'job failed: will retry');
  });

  let closing: Promise<void> | undefined;
  return {
    worker,
    queue,
    metrics,
    activeJobCount: () => running.size,
    close(graceMs) {
      closing ??= (async () => {
        shuttingDown = true;
        const timer = setTimeout(() => {
          if (running.size > 0) {
            log.warn({ graceMs, running: [...running] }, 'shutdown grace over: aborting running jobs');
            worker.cancelAllJobs(SHUTDOWN_ABORT_REASON);
          }
        }, graceMs);
        timer.unref();
        try {
          await worker.close();
        } finally {
          clearTimeout(timer);
          await queue.close().catch((err) => log.warn({ err }, 'closing the queue failed'));
        }
      })();
      return closing;
    },
  };
}
