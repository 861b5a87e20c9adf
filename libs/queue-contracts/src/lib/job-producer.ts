import { Queue, type Job } from 'bullmq';
import { JOB_CONTRACTS, type JobContract, type JobDataInput, type JobData } from './job-registry';
import type { JobName } from './job-names';
import { ALL_QUEUE_NAMES, type QueueName } from './queue-names';
import { JobValidationError, QueueUnavailableError } from './errors';
import { resolveJobOptions, type ProducerJobOptions } from './job-options';
import { readQueueStats, type QueueStats } from './queue-stats';
import { describeRedis, ioRedisOptions, type RedisSettings } from './redis-env';
import { withTimeout } from './with-timeout';

/** Options of a {@link JobProducer}. */
export interface JobProducerOptions {
  /** Where Redis is. */
  readonly redis: RedisSettings;
  /** BullMQ key prefix; default `bull`. Tests use a unique prefix each. */
  readonly prefix?: string;
  /** How long a producer call waits for Redis before failing, in ms; default 5000. */
  readonly producerTimeoutMs?: number;
}

/** One job of a bulk add. */
export interface BulkJob<N extends JobName> {
  data: JobDataInput<N>;
  opts?: ProducerJobOptions;
}

/**
 * Enqueues jobs of every type through their contracts. Queues are opened on first use, one per
 * queue name, and closed by {@link JobProducer.close}.
 *
 * Every add validates data (zod) and options before anything reaches Redis, then waits at most
 * `producerTimeoutMs` for Redis.
 */
export class JobProducer {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly timeoutMs: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: JobProducerOptions) {
    this.timeoutMs = options.producerTimeoutMs ?? 5000;
  }

  /**
   * Validates and enqueues one job.
   * @throws JobValidationError naming the bad field; InvalidJobOptionsError for bad options;
   *   QueueUnavailableError when Redis does not answer within `producerTimeoutMs`.
   */
  async add<N extends JobName>(name: N, data: JobDataInput<N>, opts?: ProducerJobOptions): Promise<Job<JobData<N>>> {
    const parsed = this.parse(name, data);
    const jobOpts = resolveJobOptions(opts, (JOB_CONTRACTS[name] as JobContract).jobDefaults);
    const queue = await this.readyQueue(JOB_CONTRACTS[name].queue);
    return withTimeout(queue.add(name, parsed, jobOpts), this.timeoutMs, () => this.unavailable('add'));
  }

  /**
   * Validates every job, then enqueues them all in one atomic Redis transaction: either all
   * are added or none. Jobs may go to several queues; each queue's part is its own transaction.
   * @throws as {@link JobProducer.add}; `JobValidationError`'s message starts with the index.
   */
  async addBulk<N extends JobName>(name: N, jobs: readonly BulkJob<N>[]): Promise<Job<JobData<N>>[]> {
    const prepared = jobs.map((job, index) => {
      try {
        return { name, data: this.parse(name, job.data), opts: resolveJobOptions(job.opts, (JOB_CONTRACTS[name] as JobContract).jobDefaults) };
      } catch (err) {
        if (err instanceof Error) err.message = `jobs[${index}]: ${err.message}`;
        throw err;
      }
    });
    const queue = await this.readyQueue(JOB_CONTRACTS[name].queue);
    return withTimeout(queue.addBulk(prepared), this.timeoutMs, () => this.unavailable('addBulk')) as Promise<
      Job<JobData<N>>[]
    >;
  }

  /** Job counts and paused state of one queue. @throws RangeError for an unknown queue; QueueUnavailableError */
  async getQueueStats(queue: QueueName): Promise<QueueStats> {
    if (!ALL_QUEUE_NAMES.includes(queue)) {
      throw new RangeError(`Unknown queue "${queue}": expected one of ${ALL_QUEUE_NAMES.join(', ')}`);
    }
    const q = await this.readyQueue(queue);
    return withTimeout(readQueueStats(q), this.timeoutMs, () => this.unavailable('getQueueStats'));
  }

  /** {@link JobProducer.getQueueStats} for every queue, keyed by queue name. */
  async getAllQueueStats(): Promise<Record<QueueName, QueueStats>> {
    const entries = await Promise.all(ALL_QUEUE_NAMES.map(async (q) => [q, await this.getQueueStats(q)] as const));
    return Object.fromEntries(entries) as Record<QueueName, QueueStats>;
  }

  /** The BullMQ queue behind a queue name (opened on first use), for admin tools. */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: ioRedisOptions(this.options.redis, 'producer'),
        prefix: this.options.prefix,
      });
      // Connection errors surface through the calls that need Redis; without a listener
      // ioredis would print every reconnect failure as an unhandled 'error' event.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Closes every queue opened; idempotent; bounded by `producerTimeoutMs` per queue. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(
        [...this.queues.values()].map(async (queue) => {
          try {
            await withTimeout(queue.close(), this.timeoutMs, () => this.unavailable('close'));
          } catch {
            // Redis is gone: drop the sockets instead of waiting for a goodbye it cannot hear.
            await queue.disconnect().catch(() => undefined);
          }
        }),
      );
      this.queues.clear();
    })();
    return this.closing;
  }

  private parse<N extends JobName>(name: N, data: JobDataInput<N>): JobData<N> {
    const result = JOB_CONTRACTS[name].data.safeParse(data);
    if (!result.success) throw new JobValidationError(name, result.error);
    return result.data as JobData<N>;
  }

  /** Waits for the queue's connection first, so a timeout here means nothing was sent. */
  private async readyQueue(name: QueueName): Promise<Queue> {
    if (this.closing) throw new QueueUnavailableError('The job producer is closed');
    const queue = this.queue(name);
    await withTimeout(queue.waitUntilReady(), this.timeoutMs, () => this.unavailable('connect'));
    return queue;
  }

  private unavailable(step: string): QueueUnavailableError {
    return new QueueUnavailableError(
      `Redis at ${describeRedis(this.options.redis)} did not answer within ${this.timeoutMs} ms (${step}); is it running?`,
    );
  }
}
