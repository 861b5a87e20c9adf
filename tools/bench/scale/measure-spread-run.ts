import { randomBytes } from 'node:crypto';
import { JobProducer, queuePrefix } from '@jobs/queue-contracts';
import type { BenchCleanup } from './bench-cleanup';
import type { BenchLayout, BenchRedis, BenchRedisServer } from './bench-redis';
import type { BenchSide } from './bench-side';
import { startBenchWorkerProcess, type BenchWorkerProcess } from './bench-worker-process';
import { POLL_MS, ScaleRunError } from './measure-scale-run';
import { processCpuSeconds } from './process-cpu';
import { queueProgress } from './queue-progress';
import { sampleRedisInfo } from './redis-info';
import { SPREAD_JOBS, SPREAD_QUEUES, type SpreadQueue } from './spread-jobs';

/** What one server did in a {@link SpreadRun}. */
export interface SpreadServerLoad {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** The spread queues whose keys it holds (all three on one Redis; one each on a 3-master cluster). */
  readonly queues: readonly SpreadQueue[];
  /** Its CPU (user + sys) from the resume to the last completion as a share of one core, 0-1. */
  readonly cpuShare: number;
  /** Its CPU over the same span per job of the run (all queues' jobs), µs. */
  readonly cpuUsPerJob: number;
}

/** What one run of {@link measureSpreadRun} observed. */
export interface SpreadRun {
  readonly layout: BenchLayout;
  readonly side: BenchSide;
  /** Jobs enqueued on each spread queue. */
  readonly jobsPerQueue: number;
  /** All queues' jobs / seconds from the first completion on any queue to the last on all. */
  readonly jobsPerSecond: number;
  /** Every server of the layout, in the layout's order. */
  readonly servers: readonly SpreadServerLoad[];
  /** CPU of all servers together per job, µs. */
  readonly redisCpuUsPerJob: number;
  /** CPU of all worker processes together per job, µs; NaN without /proc. */
  readonly workerCpuUsPerJob: number;
  /** Jobs each queue's worker process completed (from its own count at exit). */
  readonly perQueue: Readonly<Record<SpreadQueue, number>>;
}

/** Options of {@link measureSpreadRun}. */
export interface SpreadRunOptions {
  /** Where to run, emptied first (`flush`); the caller starts and stops it. */
  readonly redis: BenchRedis;
  /** Where the worker processes are registered while they run (Ctrl-C). */
  readonly cleanup: BenchCleanup;
  readonly side: BenchSide;
  readonly jobsPerQueue: number;
  /** BullMQ concurrency of each worker process. */
  readonly concurrency: number;
  /** A run whose last job has not completed this long after the resume throws (ms). */
  readonly ceilingMs: number;
}

/** Enqueues `count` no-op jobs of `queue`'s job type through the producer, 1000 per `addBulk`. */
async function enqueue(producer: JobProducer, queue: SpreadQueue, count: number): Promise<void> {
  for (let added = 0; added < count; added += 1000) {
    const n = Math.min(1000, count - added);
    if (queue === 'seo') await producer.addBulk('SEO_AUDIT', Array.from({ length: n }, () => ({ data: SPREAD_JOBS.seo.data })));
    else if (queue === 'ads') await producer.addBulk('AD_ANALYSIS', Array.from({ length: n }, () => ({ data: SPREAD_JOBS.ads.data })));
    else await producer.addBulk('EMAIL_SYNC', Array.from({ length: n }, () => ({ data: SPREAD_JOBS.email.data })));
  }
}

/**
 * One spread run on `redis` (emptied first): the same load on three queues of three slot groups
 * at once ({@link SPREAD_QUEUES}: `seo`, `ads`, `email`), each paused and given `jobsPerQueue`
 * no-op jobs through the contracts' `JobProducer`, one worker process of `side` per queue
 * started and ready, all three resumed together; then each queue's server polled every
 * {@link POLL_MS} ms until no job is left anywhere. Reports the jobs/s of all queues together
 * and each server's CPU: on one Redis one thread serves all three queues, on a 3-master cluster
 * each group's master serves its own.
 * @throws ScaleRunError when a job fails, the run passes `ceilingMs`, or a queue's worker did not
 *   complete exactly its queue's jobs; BenchWorkerExitError when a worker exits other than 0;
 *   the first start error when a worker process does not start (the others are stopped).
 */
export async function measureSpreadRun(options: SpreadRunOptions): Promise<SpreadRun> {
  const { redis, side, jobsPerQueue, concurrency } = options;
  await redis.flush();
  const prefix = `spread-${randomBytes(3).toString('hex')}`;
  const queues = await Promise.all(
    SPREAD_QUEUES.map(async (queue) => {
      const key = `${queuePrefix({ redis: redis.settings, prefix }, queue)}:${queue}`;
      return { queue, key, server: await redis.serverOf(key) };
    }),
  );
  const producer = new JobProducer({ redis: redis.settings, prefix });
  const workers: BenchWorkerProcess[] = [];
  try {
    await Promise.all(SPREAD_QUEUES.map((queue) => producer.queue(queue).pause()));
    for (const queue of SPREAD_QUEUES) await enqueue(producer, queue, jobsPerQueue);

    const starts = await Promise.allSettled(
      SPREAD_QUEUES.map((queue) => startBenchWorkerProcess({ side, queue, redisEnv: redis.workerEnv, prefix, concurrency, cleanup: options.cleanup })),
    );
    for (const start of starts) if (start.status === 'fulfilled') workers.push(start.value);
    const failedStart = starts.find((start) => start.status === 'rejected');
    if (failedStart) throw failedStart.reason;

    const serversCpu = () => Promise.all(redis.servers.map(async (server) => (await sampleRedisInfo(server.admin)).cpuSeconds));
    const workersCpu = () => workers.reduce((sum, w) => sum + processCpuSeconds(w.process.child.pid), 0);
    const workersCpuBefore = workersCpu();
    const cpuBefore = await serversCpu();
    await Promise.all(SPREAD_QUEUES.map((queue) => producer.queue(queue).resume()));
    const resumedAt = process.hrtime.bigint();
    const total = jobsPerQueue * SPREAD_QUEUES.length;
    let firstDoneAt: bigint | undefined;
    let lastDoneAt: bigint | undefined;
    while (lastDoneAt === undefined) {
      const progress = await Promise.all(queues.map(({ key, server }) => queueProgress(server.admin, key)));
      const now = process.hrtime.bigint();
      const failed = progress.reduce((sum, p) => sum + p.failed, 0);
      const remaining = progress.reduce((sum, p) => sum + p.remaining, 0);
      if (failed > 0) throw new ScaleRunError(`spread ${redis.layout} ${side}: ${failed} job(s) failed`);
      if (remaining < total) firstDoneAt ??= now;
      if (remaining === 0) lastDoneAt = now;
      else if (Number(now - resumedAt) / 1e6 > options.ceilingMs) throw new ScaleRunError(`spread ${redis.layout} ${side}: ${remaining} of ${total} jobs left after ${options.ceilingMs} ms`);
      else await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const cpuAfter = await serversCpu();
    const workersCpuAfter = workersCpu();
    const perQueue = {} as Record<SpreadQueue, number>;
    // Each worker leaves the list once stopped: if a stop throws, the finally still kills the rest.
    for (let worker = workers[0]; worker !== undefined; worker = workers[0]) {
      perQueue[worker.queue] = await worker.stop();
      workers.shift();
    }
    for (const queue of SPREAD_QUEUES) {
      if (perQueue[queue] !== jobsPerQueue) throw new ScaleRunError(`spread ${redis.layout} ${side}: the ${queue} worker completed ${perQueue[queue]} jobs, expected ${jobsPerQueue}`);
    }

    const spanSeconds = Number(lastDoneAt - resumedAt) / 1e9;
    const servers = redis.servers.map((server: BenchRedisServer, i): SpreadServerLoad => {
      const cpuSeconds = cpuAfter[i] - cpuBefore[i];
      return {
        address: server.address,
        queues: queues.filter((q) => q.server === server).map((q) => q.queue),
        cpuShare: cpuSeconds / Math.max(spanSeconds, POLL_MS / 1000),
        cpuUsPerJob: (cpuSeconds * 1e6) / total,
      };
    });
    const seconds = Number(lastDoneAt - (firstDoneAt ?? resumedAt)) / 1e9;
    return {
      layout: redis.layout,
      side,
      jobsPerQueue,
      jobsPerSecond: total / Math.max(seconds, POLL_MS / 1000),
      servers,
      redisCpuUsPerJob: servers.reduce((sum, s) => sum + s.cpuUsPerJob, 0),
      workerCpuUsPerJob: ((workersCpuAfter - workersCpuBefore) * 1e6) / total,
      perQueue,
    };
  } finally {
    for (const worker of workers) worker.process.kill();
    await Promise.all(workers.map((w) => w.process.exited));
    await producer.close();
  }
}
