// A queue worker of the `workflow` queue on the shared test Redis, isolated by a unique prefix,
// with a producer, a raw queue (writes that bypass the contracts), queue events, a raw Redis
// client and the worker's log lines. For the worker kit's integration tests.
import { Writable } from 'node:stream';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { createLogger } from '../lib/create-logger';
import { createQueueWorker, type QueueWorker, type QueueWorkerOptions } from '../lib/create-queue-worker';
import type { JobHandlers } from '../lib/job-handler';
import { loadWorkerConfig } from '../lib/worker-config';

/**
 * `WORKFLOW_EXECUTION` data as the seed README sends it (`triggerId`, `context`); also valid under
 * the older contract, which ignored those fields.
 */
export function workflowData(workflowId: string): { userId: string; workflowId: string; triggerId: string; context: Record<string, never> } {
  return { userId: 'u', workflowId, triggerId: 't', context: {} };
}

/** What {@link startWorkerTestBed} gives a test. */
export interface WorkerTestBed {
  readonly prefix: string;
  readonly producer: JobProducer;
  readonly rawQueue: Queue;
  readonly events: QueueEvents;
  readonly redis: Redis;
  /** Every log line of the worker, parsed. */
  readonly lines: Record<string, unknown>[];
  /** Starts the worker (one per bed) with `env` over the defaults (concurrency 1). */
  start(handlers: JobHandlers<'workflow'>, env?: Record<string, string>, extra?: Partial<QueueWorkerOptions<'workflow'>>): QueueWorker;
  /** Closes everything and deletes the prefix. */
  close(): Promise<void>;
}

/** Opens a test bed; call `close()` in `afterEach`. */
export async function startWorkerTestBed(label: string): Promise<WorkerTestBed> {
  const url = testRedisUrl();
  const prefix = uniquePrefix(label);
  const settings = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis: settings, prefix });
  const rawQueue = new Queue('workflow', { connection: ioRedisOptions(settings, 'producer'), prefix });
  const events = new QueueEvents('workflow', { connection: ioRedisOptions(settings, 'worker'), prefix });
  await events.waitUntilReady();
  const redis = new Redis(url);
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  let worker: QueueWorker | undefined;
  return {
    prefix,
    producer,
    rawQueue,
    events,
    redis,
    lines,
    start(handlers, env = {}, extra = {}) {
      const config = loadWorkerConfig(
        { concurrency: 1, maxJobsPerSecond: 1000, healthPort: 0 },
        { REDIS_URL: url, BULLMQ_PREFIX: prefix, ...env },
      );
      worker = createQueueWorker({ queue: 'workflow', handlers, config, log: createLogger({ level: 'debug', destination }), ...extra });
      return worker;
    },
    async close() {
      await worker?.close(1000);
      await Promise.all([producer.close(), rawQueue.close(), events.close()]);
      redis.disconnect();
      await deletePrefix(url, prefix);
    },
  };
}
