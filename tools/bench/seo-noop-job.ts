import { Queue, Worker, type Job } from 'bullmq';
import pino from 'pino';
import { ioRedisOptions, JOB_CONTRACTS, redisSettingsFromEnv, resolveJobOptions, type SeoAuditResult } from '@jobs/queue-contracts';
import { createLogger, createQueueWorker, loadWorkerConfig } from '@jobs/worker-kit';

/** A tiny SEO_AUDIT payload its contract accepts. */
export const SEO_NOOP_DATA = Object.freeze({ userId: 'bench-user', websiteUrl: 'https://example.com/', depth: 0 });

/** An SEO_AUDIT result its contract accepts: what the no-op handler returns on both sides. */
export const SEO_NOOP_RESULT: SeoAuditResult = {
  websiteUrl: 'https://example.com/',
  startedAt: new Date(0),
  durationMs: 0,
  depth: 0,
  pagesCrawled: 0,
  pagesByDepth: {},
  pageCapReached: false,
  skipped: { robotsTxt: 0, beyondDepth: 0, pageCap: 0, refusedAddress: 0, linkCheckCap: 0 },
  score: 100,
  issues: [],
  brokenLinks: [],
  pages: [],
  competitors: { requested: false, message: '', results: [] },
};

/** The job options a typed producer gives SEO_AUDIT (3 attempts, backoff, trimming), used on both sides. */
export const SEO_JOB_OPTIONS = resolveJobOptions(undefined, JOB_CONTRACTS.SEO_AUDIT.jobDefaults);

/** A worker under test and how to stop it; `onHandlerStart` is called as each handler starts. */
export interface BenchWorker {
  readonly worker: Worker;
  close(): Promise<void>;
}

/** What a bench worker runs against. */
export interface BenchWorkerOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly concurrency: number;
  /** Called when a handler starts (pickup latency); default nothing. */
  readonly onHandlerStart?: (job: Job) => void;
}

/**
 * The kit side: `createQueueWorker` on the `seo` queue with a no-op SEO_AUDIT handler, a root
 * logger at `info` writing to /dev/null through pino's own synchronous destination (what stdout
 * costs, without a terminal), no BullMQ limiter (`WORKER_MAX_JOBS_PER_SECOND=0`).
 */
export function startKitWorker(options: BenchWorkerOptions): BenchWorker {
  const config = loadWorkerConfig(
    { concurrency: options.concurrency, maxJobsPerSecond: 0, healthPort: 0 },
    { REDIS_URL: options.redisUrl, BULLMQ_PREFIX: options.prefix, WORKER_CONCURRENCY: String(options.concurrency), WORKER_MAX_JOBS_PER_SECOND: '0' },
  );
  const log = createLogger({ level: 'info', name: 'bench', destination: pino.destination({ dest: '/dev/null', sync: false }) });
  const onStart = options.onHandlerStart;
  const qw = createQueueWorker({
    queue: 'seo',
    config,
    log,
    handlers: {
      SEO_AUDIT: async ({ job }) => {
        onStart?.(job);
        return SEO_NOOP_RESULT;
      },
    },
  });
  return { worker: qw.worker, close: () => qw.close(5000) };
}

/** The raw side: a bare BullMQ `Worker` on the same queue, data and result, no limiter. */
export function startRawWorker(options: BenchWorkerOptions): BenchWorker {
  const onStart = options.onHandlerStart;
  const worker = new Worker(
    'seo',
    async (job: Job) => {
      onStart?.(job);
      return SEO_NOOP_RESULT;
    },
    {
      connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: options.redisUrl }), 'worker'),
      prefix: options.prefix,
      concurrency: options.concurrency,
    },
  );
  return { worker, close: () => worker.close() };
}

/** A producer-side queue handle for `seo` on `redisUrl`. */
export function openSeoQueue(redisUrl: string, prefix: string): Queue {
  return new Queue('seo', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: redisUrl }), 'producer'), prefix });
}

/** Adds `count` no-op SEO_AUDIT jobs with the producer's options, 1000 per round trip. */
export async function fillSeoQueue(queue: Queue, count: number): Promise<void> {
  for (let done = 0; done < count; done += 1000) {
    const n = Math.min(1000, count - done);
    await queue.addBulk(Array.from({ length: n }, () => ({ name: 'SEO_AUDIT', data: SEO_NOOP_DATA, opts: SEO_JOB_OPTIONS })));
  }
}
