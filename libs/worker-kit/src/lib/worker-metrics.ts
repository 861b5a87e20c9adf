import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of one worker process, in a registry of its own:
 * - `bullmq_jobs_completed_total{queue,job_name}`
 * - `bullmq_jobs_failed_total{queue,job_name,final}`: `final="true"` when no attempt is left
 * - `bullmq_job_duration_seconds{queue,job_name,outcome}`: handler run time; outcome `completed`,
 *   `failed`, or `suspended` (the handler moved its own job to delayed or waiting-children)
 * - `bullmq_active_jobs{queue}`: jobs running in this process
 * - `bullmq_jobs_stalled_total{queue}`: stalled jobs this process recovered
 * - Node's default process metrics (`process_*`, `nodejs_*`).
 *
 * Queue depth (`bullmq_queue_jobs{queue,state}` ...) is not here: every replica would export the
 * same counts. One place per deployment exports it for every queue: the dashboard app's
 * `/metrics` (see `QueueDepthMetrics`).
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly completed: Counter<'queue' | 'job_name'>;
  readonly failed: Counter<'queue' | 'job_name' | 'final'>;
  readonly duration: Histogram<'queue' | 'job_name' | 'outcome'>;
  readonly active: Gauge<'queue'>;
  readonly stalled: Counter<'queue'>;

  /**
   * @param activeJobs - read at each scrape for `bullmq_active_jobs` (jobs running in this
   *   process): counted by the worker, not pushed into the gauge per job; default 0.
   * @param jobNames - the queue's job names: their completed/failed counters, and the stalled
   *   counter, are exported at 0 from the start. A counter that appears only at its first
   *   increment hides that increment from `rate()`/`increase()`, so the alert rules
   *   (docker/prometheus/alerts.yml) would miss a queue's first failures or stalls.
   */
  constructor(queue: string, activeJobs: () => number = () => 0, jobNames: readonly string[] = []) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.completed = new Counter({
      name: 'bullmq_jobs_completed_total',
      help: 'Jobs this process completed.',
      labelNames: ['queue', 'job_name'],
      registers,
    });
    this.failed = new Counter({
      name: 'bullmq_jobs_failed_total',
      help: 'Job attempts that failed in this process; final="true" when the job will not be retried.',
      labelNames: ['queue', 'job_name', 'final'],
      registers,
    });
    this.duration = new Histogram({
      name: 'bullmq_job_duration_seconds',
      help: 'Time a handler ran, by outcome.',
      labelNames: ['queue', 'job_name', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers,
    });
    this.active = new Gauge({
      name: 'bullmq_active_jobs',
      help: 'Jobs running in this process now.',
      labelNames: ['queue'],
      registers,
      // Read when scraped: a set per job start and end costs prom-client a label hash each.
      collect() {
        this.set({ queue }, activeJobs());
      },
    });
    this.active.set({ queue }, 0);
    this.stalled = new Counter({
      name: 'bullmq_jobs_stalled_total',
      help: 'Jobs this process found stalled (their worker died or lost its lock) and moved back to wait.',
      labelNames: ['queue'],
      registers,
    });
    this.stalled.inc({ queue }, 0);
    for (const job_name of jobNames) {
      this.completed.inc({ queue, job_name }, 0);
      this.failed.inc({ queue, job_name, final: 'true' }, 0);
      this.failed.inc({ queue, job_name, final: 'false' }, 0);
    }
  }
}
