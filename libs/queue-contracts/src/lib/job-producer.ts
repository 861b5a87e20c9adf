import { Job, Queue, type Telemetry } from 'bullmq';
import { withTimeout } from '@jobs/common';
import { JOB_CONTRACTS, type JobContract, type JobDataInput, type JobData } from './job-registry';
import type { JobName } from './job-names';
import { ALL_QUEUE_NAMES, type QueueName } from './queue-names';
import { JobValidationError, QueueUnavailableError } from './errors';
import { resolveJobOptions, type ProducerJobOptions } from './job-options';
import { readQueueStats, type QueueStats } from './queue-stats';
import { describeRedis, type RedisSettings } from './redis-env';
import { bullMqConnection, type BullMqConnection } from './bullmq-connection';
import { queuePrefix } from './queue-prefix';
import { markAddedJob, type AddedJob } from './added-job';
import { assertJobDataSize, jobDataSizeErrorOr } from './job-data-size';
import { isRedisUnavailableError } from './is-redis-unavailable-error';
import { withoutRedisCredentials } from './without-redis-credentials';
import { defaultJobId } from './workflow/default-job-id';
import { OtelBullMqTelemetry } from './otel-bullmq-telemetry';

/** Options of a {@link JobProducer}. */
export interface JobProducerOptions {
  /** Where Redis is. */
  readonly redis: RedisSettings;
  /**
   * BullMQ key prefix; default `bull`. Tests use a unique prefix each. In cluster mode each
   * queue's effective prefix is `queuePrefix({ redis, prefix }, queue)` (a hash tag added).
   */
  readonly prefix?: string;
  /** How long a producer call waits for Redis before failing, in ms; default 5000. */
  readonly producerTimeoutMs?: number;
  /**
   * Trace propagation into the jobs (BullMQ's telemetry interface). `'otel'` (default): each add
   * opens an `add <queue>.<JOB_NAME>` / `addBulk <queue>` PRODUCER span on the OpenTelemetry
   * tracer provider the application registered (`@opentelemetry/api`'s global one) and stores
   * the trace context in each job (`opts.telemetry.metadata`, W3C `traceparent`), so the
   * worker's `process` span joins the caller's trace. With no provider registered the spans are
   * no-ops and nothing is stored in the job; the cost is BullMQ's span wrapper, measured at
   * ~0.4 µs per `add`/`addBulk` call (an `add` costs ~80 µs of producer CPU). `'off'`: no spans,
   * no context. Or a BullMQ `Telemetry` of the caller's own.
   */
  readonly telemetry?: 'otel' | 'off' | Telemetry;
}

/** One job of a bulk add. */
export interface BulkJob<N extends JobName> {
  data: JobDataInput<N>;
  opts?: ProducerJobOptions;
}

/** What this producer knows of one queue's connection. */
interface QueueState {
  readonly queue: Queue;
  /** The queue's connection; in cluster mode a Cluster this producer closes after the queue. */
  readonly connection: BullMqConnection;
  /** Set once the connection was first ready; from then on commands fail fast by themselves. */
  connected: boolean;
  /** The last connection error seen while never connected (e.g. ECONNREFUSED). */
  connectError: Error | undefined;
}

/**
 * Enqueues jobs of every type through their contracts. Queues are opened on first use, one per
 * queue name, and closed by {@link JobProducer.close}.
 *
 * Every add validates data (zod, then the total size) and options before anything reaches
 * Redis, then waits at most `producerTimeoutMs` for Redis. Every failure to reach Redis is a
 * `QueueUnavailableError` whose `cause` is the original error.
 *
 * The size is checked once per job on the hot path: the options carry BullMQ's `sizeLimit`,
 * and BullMQ measures the string it stores and throws before sending anything; a refused add
 * is then measured again to name the limit (see `jobDataSizeErrorOr`). Until a queue's first
 * connection the size is measured up front, so oversized data is a `JobValidationError` even
 * while Redis is unreachable.
 */
export class JobProducer {
  private readonly queues = new Map<QueueName, QueueState>();
  private readonly timeoutMs: number;
  private readonly telemetry: Telemetry | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: JobProducerOptions) {
    this.timeoutMs = options.producerTimeoutMs ?? 5000;
    const telemetry = options.telemetry ?? 'otel';
    this.telemetry = telemetry === 'off' ? undefined : telemetry === 'otel' ? new OtelBullMqTelemetry() : telemetry;
  }

  /**
   * Validates and enqueues one job, and returns the job Redis holds (see {@link AddedJob}):
   * with a `jobId` already taken, the earlier job, marked `alreadyExisted: true`. Without
   * `opts.jobId`, a `WORKFLOW_EXECUTION` job gets the id of its run (see `defaultJobId`).
   * @throws JobValidationError naming the bad field or the size limit; InvalidJobOptionsError for
   *   bad options; QueueUnavailableError when Redis refuses the connection, drops it, or does not
   *   answer within `producerTimeoutMs`.
   */
  async add<N extends JobName>(name: N, data: JobDataInput<N>, opts?: ProducerJobOptions): Promise<AddedJob<N>> {
    const parsed = this.parse(name, data);
    const jobOpts = resolveJobOptions(opts, (JOB_CONTRACTS[name] as JobContract).jobDefaults);
    jobOpts.jobId ??= defaultJobId(name, parsed);
    const state = this.openState(JOB_CONTRACTS[name].queue);
    if (!state.connected) {
      assertJobDataSize(name, parsed);
      await this.connect(state);
    }
    let sent: Job<JobData<N>>;
    try {
      sent = (await this.redis('add', state.queue.add(name, parsed, jobOpts))) as Job<JobData<N>>;
    } catch (err) {
      throw jobDataSizeErrorOr(err, name, [parsed], false);
    }
    // Without a custom id BullMQ always makes a new job: nothing to read back.
    return sent.opts.jobId === undefined ? markAddedJob(sent, false) : this.readBack(name, state.queue, sent, false);
  }

  /**
   * Validates every job, then enqueues them all in one atomic Redis transaction: either all
   * are added or none. Returns one {@link AddedJob} per job, in order; each job whose `jobId`
   * was taken (by an earlier job, or by an earlier entry of the same call) is the job already
   * there, marked `alreadyExisted: true`.
   * @throws as {@link JobProducer.add}; `JobValidationError`'s message starts with the index.
   */
  async addBulk<N extends JobName>(name: N, jobs: readonly BulkJob<N>[]): Promise<AddedJob<N>[]> {
    const prepared = jobs.map((job, index) => {
      try {
        const data = this.parse(name, job.data);
        const opts = resolveJobOptions(job.opts, (JOB_CONTRACTS[name] as JobContract).jobDefaults);
        opts.jobId ??= defaultJobId(name, data);
        return { name, data, opts };
      } catch (err) {
        if (err instanceof Error) err.message = `jobs[${index}]: ${err.message}`;
        throw err;
      }
    });
    const state = this.openState(JOB_CONTRACTS[name].queue);
    const sizeErrorOr = (err: unknown) => jobDataSizeErrorOr(err, name, prepared.map(({ data }) => data), true);
    if (!state.connected) {
      const tooLarge = sizeErrorOr(undefined);
      if (tooLarge) throw tooLarge;
      await this.connect(state);
    }
    const queue = state.queue;
    let sent: Job<JobData<N>>[];
    try {
      sent = (await this.redis('addBulk', queue.addBulk(prepared))) as Job<JobData<N>>[];
    } catch (err) {
      throw sizeErrorOr(err);
    }
    if (sent.every((job) => job.opts.jobId === undefined)) return sent.map((job) => markAddedJob(job, false));
    const seenIds = new Set<string>();
    return Promise.all(
      sent.map((job) => {
        const id = job.opts.jobId;
        const repeated = id !== undefined && seenIds.has(id);
        if (id !== undefined) seenIds.add(id);
        return this.readBack(name, queue, job, repeated);
      }),
    );
  }

  /** Job counts and paused state of one queue. @throws RangeError for an unknown queue; QueueUnavailableError */
  async getQueueStats(queue: QueueName): Promise<QueueStats> {
    if (!ALL_QUEUE_NAMES.includes(queue)) {
      throw new RangeError(`Unknown queue "${queue}": expected one of ${ALL_QUEUE_NAMES.join(', ')}`);
    }
    const q = await this.readyQueue(queue);
    return this.redis('getQueueStats', readQueueStats(q));
  }

  /** {@link JobProducer.getQueueStats} for every queue, keyed by queue name. @throws QueueUnavailableError */
  async getAllQueueStats(): Promise<Record<QueueName, QueueStats>> {
    const entries = await Promise.all(ALL_QUEUE_NAMES.map(async (q) => [q, await this.getQueueStats(q)] as const));
    return Object.fromEntries(entries) as Record<QueueName, QueueStats>;
  }

  /** The BullMQ queue behind a queue name (opened on first use), for admin tools. */
  queue(name: QueueName): Queue {
    return this.state(name).queue;
  }

  /** Closes every queue opened; idempotent; bounded by `producerTimeoutMs` per queue. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(
        [...this.queues.values()].map(async ({ queue, connection }) => {
          try {
            await withTimeout(queue.close(), this.timeoutMs, () => this.unavailable('close'));
          } catch {
            // Redis is gone. BullMQ's close sends QUIT (refused on a dead connection) and its
            // disconnect waits for an 'end' event ioredis never emits while it is reconnecting:
            // drop the socket and stop reconnecting without waiting for either.
            await withTimeout(
              queue.getBackend().client.then((client) => client.disconnect()),
              this.timeoutMs,
              () => this.unavailable('close'),
            ).catch(() => undefined);
          }
          await connection.close();
        }),
      );
      this.queues.clear();
    })();
    return this.closing;
  }

  private state(name: QueueName): QueueState {
    let state = this.queues.get(name);
    if (!state) {
      const connection = bullMqConnection(this.options.redis, 'producer');
      const queue = new Queue(name, {
        connection: connection.connection,
        prefix: queuePrefix(this.options, name),
        ...(this.telemetry ? { telemetry: this.telemetry } : {}),
      });
      const created: QueueState = { queue, connection, connected: false, connectError: undefined };
      // Connection errors surface through the calls that need Redis (a listener is needed anyway:
      // without one ioredis prints every reconnect failure as an unhandled 'error' event). Until
      // the first connection, the last error is kept so later calls can report it at once.
      queue.on('error', (err) => {
        if (!created.connected) created.connectError = err;
      });
      queue.waitUntilReady().then(
        () => {
          created.connected = true;
          created.connectError = undefined;
        },
        () => undefined, // closed before it connected; calls report that themselves
      );
      state = created;
      this.queues.set(name, state);
    }
    return state;
  }

  /** The contract's parse of `data`; the size is checked on the way to Redis (see the class doc). */
  private parse<N extends JobName>(name: N, data: JobDataInput<N>): JobData<N> {
    const result = JOB_CONTRACTS[name].data.safeParse(data);
    if (!result.success) throw new JobValidationError(name, result.error);
    return result.data as JobData<N>;
  }

  /**
   * The job Redis holds under `sent`'s id, marked. BullMQ's `add` with a `jobId` already taken
   * keeps the stored job but returns a `Job` built from the call's own data; the stored job is
   * ours when its creation time, name and data are those we sent. Limits: when the job was
   * removed before it could be read back (processed and trimmed at once) the job sent is
   * returned as new; two adds racing with the same id, name and data within the same millisecond
   * cannot be told apart and both read as new (their data is the same either way).
   */
  private async readBack<N extends JobName>(name: N, queue: Queue, sent: Job<JobData<N>>, repeated: boolean): Promise<AddedJob<N>> {
    // Without a custom id BullMQ always makes a new job: nothing to check.
    if (sent.opts.jobId === undefined || sent.id === undefined) return markAddedJob(sent, false);
    const stored = (await this.redis('read back', Job.fromId(queue, sent.id))) as Job<JobData<N>> | undefined;
    if (!stored) return markAddedJob(sent, false);
    const ours =
      !repeated && stored.timestamp === sent.timestamp && stored.name === sent.name && JSON.stringify(stored.data) === JSON.stringify(sent.data);
    if (ours) return markAddedJob(sent, false);
    // The earlier job: give its data the types a caller expects (Dates as Dates) when it still
    // matches the contract; a job stored under an older contract is returned as stored.
    const reparsed = JOB_CONTRACTS[name].data.safeParse(stored.data);
    if (reparsed.success) stored.data = reparsed.data as JobData<N>;
    return markAddedJob(stored, true);
  }

  /**
   * Waits for the queue's first connection, so a timeout here means nothing was sent. A refused
   * connection is reported as soon as the client sees it (not after `producerTimeoutMs`), and
   * again at once by later calls until a connection succeeds.
   */
  private async readyQueue(name: QueueName): Promise<Queue> {
    const state = this.openState(name);
    if (!state.connected) await this.connect(state);
    return state.queue;
  }

  /** The state of queue `name`, opened on first use. @throws QueueUnavailableError once the producer is closed */
  private openState(name: QueueName): QueueState {
    if (this.closing) throw new QueueUnavailableError('The job producer is closed');
    return this.state(name);
  }

  /** Waits for the first connection of `state`'s queue, as {@link JobProducer.readyQueue} describes. */
  private async connect(state: QueueState): Promise<void> {
    if (state.connectError) throw this.unavailable('connect', state.connectError);
    let onError: ((err: Error) => void) | undefined;
    const refused = new Promise<never>((_, reject) => {
      onError = (err) => reject(this.unavailable('connect', err));
      state.queue.once('error', onError);
    });
    try {
      await withTimeout(Promise.race([state.queue.waitUntilReady(), refused]), this.timeoutMs, () => this.unavailable('connect'));
    } catch (err) {
      throw err instanceof QueueUnavailableError ? err : this.unavailable('connect', err);
    } finally {
      if (onError) state.queue.off('error', onError);
    }
    state.connected = true;
  }

  /**
   * Settles as `promise` does within `producerTimeoutMs`, turning connection failures into
   * QueueUnavailableError. Every add passes here, so it is one promise and one timer, not
   * `withTimeout`'s race of three promises.
   */
  private redis<T>(step: string, promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(this.unavailable(step)), this.timeoutMs);
      timer.unref();
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof QueueUnavailableError || !isRedisUnavailableError(err) ? err : this.unavailable(step, err));
        },
      );
    });
  }

  private unavailable(step: string, cause?: unknown): QueueUnavailableError {
    const where = `Redis at ${describeRedis(this.options.redis)}`;
    if (cause === undefined) {
      // The command went out and no answer came: Redis may still have run it (a paused or
      // overloaded server answers late), so say so rather than let a caller retry blindly.
      const unknown = step === 'add' || step === 'addBulk' ? '; the job(s) may still have been added: retry with a jobId to stay safe' : '';
      return new QueueUnavailableError(`${where} did not answer within ${this.timeoutMs} ms (${step}); is it running?${unknown}`);
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new QueueUnavailableError(`${where} is unavailable (${step}): ${reason}`, { cause: withoutRedisCredentials(cause) });
  }
}
