import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { startThrowawayRedis } from '@jobs/test-support';
import { percentile } from './bench-stats';
import { openSeoQueue, SEO_JOB_OPTIONS, SEO_NOOP_DATA } from './seo-noop-job';
import { startSide, type BenchSide } from './worker-throughput';

/**
 * P3 (pickup), one run: an idle worker of `side` on a fresh private redis-server; `samples` jobs
 * are added one at a time, each after the previous one's handler started and `gapMs` passed (so
 * the worker is back to waiting), and the time from just before `add` to the handler's start is
 * taken. Returns p50 and p99 in ms.
 */
export async function measurePickupLatency(side: BenchSide, samples: number, gapMs = 20): Promise<{ p50: number; p99: number }> {
  const redis = await startThrowawayRedis();
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const queue = openSeoQueue(redis.url, prefix);
  let onStart: (job: Job) => void = () => undefined;
  const worker = startSide(side, { redisUrl: redis.url, prefix, concurrency: 5, onHandlerStart: (job) => onStart(job) });
  try {
    await worker.worker.waitUntilReady();
    await new Promise((r) => setTimeout(r, 500));
    const latenciesMs: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      let sent = 0n;
      const started = new Promise<void>((resolve) => {
        onStart = () => {
          latenciesMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
          resolve();
        };
      });
      sent = process.hrtime.bigint();
      await queue.add('SEO_AUDIT', SEO_NOOP_DATA, SEO_JOB_OPTIONS);
      await started;
      await new Promise((r) => setTimeout(r, gapMs));
    }
    return { p50: percentile(latenciesMs, 50), p99: percentile(latenciesMs, 99) };
  } finally {
    await worker.close();
    await queue.close();
    await redis.stop();
  }
}
