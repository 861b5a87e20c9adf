import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { JobProducer, QUEUE_NAMES, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { startThrowawayRedis } from '@jobs/test-support';
import { createLogger, createQueueWorker, loadWorkerConfig } from '@jobs/worker-kit';
import { SEO_NOOP_DATA } from '../seo-noop-job';

/** What a job failed for good costs Redis, kept by `removeOnFail` (7 days by the contracts' defaults). */
export interface FailedJobMemory {
  /** Jobs failed for good in the measurement. */
  readonly failed: number;
  /** Median `MEMORY USAGE` of a failed job's hash (data, failedReason, one stack trace per attempt), bytes. */
  readonly failedJobHashBytes: number;
  /** Attempts each used (the contract's default, 3). */
  readonly attemptsMade: number;
}

/** A failure worded like a provider's 5xx, thrown from inside a nested call so the stack is realistic. */
function failLikeAProvider(): never {
  throw new Error('provider answered 500 Internal Server Error for https://example.com/ (request id 4f1c2e)');
}

/**
 * Enqueues `jobs` SEO_AUDIT jobs with the contract's default options (3 attempts, exponential
 * backoff from 2 s) on a throwaway Redis and lets a kit worker (in this process, `createQueueWorker`)
 * whose handler always throws fail each of them for good, then reads the failed jobs' hashes with
 * `MEMORY USAGE`. Takes about 7 s (the backoff between attempts).
 * @throws Error when the jobs have not all failed within 60 s.
 */
export async function measureFailedJobMemory(jobs = 20): Promise<FailedJobMemory> {
  const server = await startThrowawayRedis();
  const prefix = `scale-failed-${randomBytes(3).toString('hex')}`;
  const admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
  const producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: server.url }), prefix });
  const config = loadWorkerConfig(
    { concurrency: 10, maxJobsPerSecond: 0, healthPort: 0 },
    { REDIS_URL: server.url, BULLMQ_PREFIX: prefix, WORKER_MAX_JOBS_PER_SECOND: '0' },
  );
  const log = createLogger({ level: 'info', name: 'bench-failed', destination: pino.destination({ dest: '/dev/null', sync: true }) });
  const qw = createQueueWorker({ queue: 'seo', config, log, handlers: { SEO_AUDIT: async () => failLikeAProvider() } });
  try {
    await producer.addBulk('SEO_AUDIT', Array.from({ length: jobs }, () => ({ data: SEO_NOOP_DATA })));
    const queue = producer.queue(QUEUE_NAMES.seo);
    const deadline = Date.now() + 60_000;
    while ((await queue.getFailedCount()) < jobs) {
      if (Date.now() > deadline) throw new Error(`only ${await queue.getFailedCount()} of ${jobs} jobs failed within 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const failed = await queue.getFailed(0, jobs - 1);
    const sizes = await Promise.all(failed.map(async (job) => Number(await admin.memory('USAGE', `${prefix}:${QUEUE_NAMES.seo}:${job.id}`, 'SAMPLES', '0'))));
    sizes.sort((a, b) => a - b);
    return { failed: failed.length, failedJobHashBytes: sizes[Math.floor(sizes.length / 2)], attemptsMade: failed[0]?.attemptsMade ?? 0 };
  } finally {
    await qw.close(5000);
    await producer.close();
    admin.disconnect();
    await server.stop();
  }
}
