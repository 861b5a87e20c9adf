import { randomBytes } from 'node:crypto';
import { startThrowawayRedis } from '@jobs/test-support';
import { fillSeoQueue, openSeoQueue, startKitWorker, startRawWorker, type BenchWorker, type BenchWorkerOptions } from './seo-noop-job';

/** Which worker a run measures. */
export type BenchSide = 'kit' | 'raw';

/** Starts the worker of `side`. */
export function startSide(side: BenchSide, options: BenchWorkerOptions): BenchWorker {
  return side === 'kit' ? startKitWorker(options) : startRawWorker(options);
}

/**
 * P1, one run: a fresh private redis-server, `jobs` no-op SEO_AUDIT jobs enqueued first, then the
 * worker of `side` started at `concurrency`; returns jobs/s from its start to the last
 * 'completed' event. A hang past `ceilingMs` throws.
 */
export async function measureWorkerThroughput(side: BenchSide, jobs: number, concurrency: number, ceilingMs = 600_000): Promise<number> {
  const redis = await startThrowawayRedis();
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const queue = openSeoQueue(redis.url, prefix);
  try {
    await fillSeoQueue(queue, jobs);
    let done = 0;
    let resolveAll: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
    const started = process.hrtime.bigint();
    const worker = startSide(side, { redisUrl: redis.url, prefix, concurrency });
    let finished = started;
    const count = () => {
      done += 1;
      if (done === jobs) {
        finished = process.hrtime.bigint();
        resolveAll();
      }
    };
    worker.worker.on('completed', count);
    worker.worker.on('failed', (_job, err) => {
      throw err;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([allDone, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${side}: ${done}/${jobs} jobs after ${ceilingMs} ms`)), ceilingMs)))]);
    } finally {
      clearTimeout(timer);
      await worker.close();
    }
    return jobs / (Number(finished - started) / 1e9);
  } finally {
    await queue.close();
    await redis.stop();
  }
}
