import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { QueueDepthReadPendingError } from './queue-depth-read-pending-error';
import { QUEUE_DEPTH_STATES, type QueueDepthReading } from './queue-depth-reading';
import { readQueueDepth } from './read-queue-depth';
import { settleWithin } from './settle-within';

/** Options of {@link QueueDepthMetrics}. */
export interface QueueDepthMetricsOptions {
  /** Where the gauges are registered. */
  readonly registry: Registry;
  /** The queues to read at each scrape, names distinct (usually one per name in `ALL_QUEUE_NAMES`). */
  readonly queues: readonly Queue[];
  /** How long a scrape waits for a queue's read before reporting it down; default 2000 ms. */
  readonly timeoutMs?: number;
  /** The clock ages are measured with, ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
}

/** A scrape's reading per queue name; `undefined` when that queue could not be read in time. */
type Scrape = ReadonlyMap<string, QueueDepthReading | undefined>;

/**
 * Queue depth of every queue, read from Redis when Prometheus scrapes — the ONE place per
 * deployment that exports it (the dashboard app serves it on its health port's `/metrics`).
 * Workers export per-process series only (see `WorkerMetrics`): `bullmq_jobs_completed_total`,
 * `bullmq_jobs_failed_total{final}`, `bullmq_job_duration_seconds`, `bullmq_active_jobs`,
 * `bullmq_jobs_stalled_total`; every worker replica exporting the same counts would be summed
 * wrongly.
 *
 * Gauges (labels `queue`, and `state` for the first):
 * - `bullmq_queue_jobs{queue,state}`: jobs per BullMQ state — `waiting` (the `wait` list),
 *   `prioritized`, `waiting-children`, `active`, `delayed`, `failed`, `completed`;
 * - `bullmq_queue_paused{queue}`: 1 when the queue is paused;
 * - `bullmq_queue_oldest_waiting_job_age_seconds{queue}`: how long the job that has waited longest
 *   in `wait` or `prioritized` has waited (from `timestamp + delay`), or a delayed job past its due
 *   time that no worker promoted (from its due time; 0 when none; how the oldest is
 *   found and where it is approximate: `QUEUE_DEPTH_LUA`). A job back in wait after a failed
 *   attempt or a stall counts from that attempt's start (`processedOn`): BullMQ keeps no "back in
 *   wait since" time, so its age is overstated by the attempt's run time and any retry backoff;
 * - `bullmq_queue_workers{queue}`: connected workers (BullMQ's `getWorkers`, `CLIENT LIST`);
 *   absent when Redis refuses that command;
 * - `bullmq_queue_stats_up{queue}`: 1 when this scrape read the queue, 0 when the read failed or
 *   took longer than `timeoutMs` — then the queue's other gauges are absent, never stale.
 *
 * One scrape reads every queue at once, one Lua call (plus `CLIENT LIST`) per queue; gauges
 * collected in the same scrape share that read. A scrape never throws and never waits longer than
 * `timeoutMs` for Redis. While a queue's previous read is still pending (Redis not answering), no
 * new read of it is sent, so an unreachable Redis does not pile up commands (the queue is reported
 * down meanwhile).
 */
export class QueueDepthMetrics {
  private readonly queues: readonly Queue[];
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly pending = new Map<Queue, { readonly reading: Promise<QueueDepthReading>; readonly startedMs: number }>();
  private scrape: Promise<Scrape> | undefined;

  /** @throws Error (prom-client) when the registry already holds these metric names. */
  constructor(options: QueueDepthMetricsOptions) {
    this.queues = options.queues;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.now = options.now ?? Date.now;
    const registers = [options.registry];
    const read = () => this.read();
    const now = () => this.now();
    new Gauge({
      name: 'bullmq_queue_jobs',
      help: 'Jobs in the queue by BullMQ state, read from Redis at scrape time.',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const scrape = await read();
        this.reset();
        for (const [queue, r] of scrape) {
          if (r) for (const state of QUEUE_DEPTH_STATES) this.set({ queue, state }, r.jobs[state]);
        }
      },
    });
    new Gauge({
      name: 'bullmq_queue_paused',
      help: '1 when the queue is paused, 0 when not.',
      labelNames: ['queue'],
      registers,
      async collect() {
        const scrape = await read();
        this.reset();
        for (const [queue, r] of scrape) if (r) this.set({ queue }, r.paused ? 1 : 0);
      },
    });
    new Gauge({
      name: 'bullmq_queue_oldest_waiting_job_age_seconds',
      help: 'How long the job that has waited longest to start (wait, prioritized, or delayed past its due time) has waited; 0 when none.',
      labelNames: ['queue'],
      registers,
      async collect() {
        const scrape = await read();
        const at = now();
        this.reset();
        for (const [queue, r] of scrape) {
          if (!r) continue;
          const since = r.oldestWaitingSinceMs;
          this.set({ queue }, since === undefined ? 0 : Math.max(0, at - since) / 1000);
        }
      },
    });
    new Gauge({
      name: 'bullmq_queue_workers',
      help: 'Workers connected to the queue (CLIENT LIST); absent when Redis refuses that command.',
      labelNames: ['queue'],
      registers,
      async collect() {
        const scrape = await read();
        this.reset();
        for (const [queue, r] of scrape) if (r?.workers !== undefined) this.set({ queue }, r.workers);
      },
    });
    new Gauge({
      name: 'bullmq_queue_stats_up',
      help: '1 when this scrape read the queue from Redis, 0 when the read failed or timed out.',
      labelNames: ['queue'],
      registers,
      async collect() {
        const scrape = await read();
        this.reset();
        for (const [queue, r] of scrape) this.set({ queue }, r ? 1 : 0);
      },
    });
  }

  /**
   * Reads every queue; the gauges of one scrape call this in the same tick (prom-client's
   * `Registry.metrics()` calls every metric's `collect` before awaiting any), so they share the
   * in-flight read. It is forgotten as soon as it settles: the next scrape reads again.
   */
  private read(): Promise<Scrape> {
    if (!this.scrape) {
      const scrape = this.readAll();
      this.scrape = scrape;
      void scrape.then(() => {
        if (this.scrape === scrape) this.scrape = undefined;
      });
    }
    return this.scrape;
  }

  private async readAll(): Promise<Scrape> {
    const readings = await Promise.all(this.queues.map((q) => settleWithin(this.readOne(q), this.timeoutMs)));
    return new Map(this.queues.map((q, i) => [q.name, readings[i]]));
  }

  /**
   * A read still pending from less than `timeoutMs` ago (another Prometheus scraping at the same
   * time) is shared; an older one means Redis is not answering: the queue is reported down without
   * sending another command, and its late answer is never used (it would be stale).
   */
  private readOne(queue: Queue): Promise<QueueDepthReading> {
    const pending = this.pending.get(queue);
    if (pending) {
      if (performance.now() - pending.startedMs < this.timeoutMs) return pending.reading;
      return Promise.reject(new QueueDepthReadPendingError(queue.name));
    }
    const reading = readQueueDepth(queue, this.now());
    this.pending.set(queue, { reading, startedMs: performance.now() });
    const done = () => this.pending.delete(queue);
    reading.then(done, done);
    return reading;
  }
}
