import { randomBytes } from 'node:crypto';
import { JobProducer, QUEUE_NAMES, queuePrefix } from '@jobs/queue-contracts';
import { SEO_NOOP_DATA } from '../seo-noop-job';
import type { BenchCleanup } from './bench-cleanup';
import type { BenchLayout, BenchRedis } from './bench-redis';
import type { BenchSide } from './bench-side';
import { startBenchWorkerProcess, type BenchWorkerProcess } from './bench-worker-process';
import { processCpuSeconds } from './process-cpu';
import { COMMANDS_PER_POLL, queueProgress } from './queue-progress';
import { sampleRedisInfo } from './redis-info';

/** What one run of {@link measureScaleRun} observed. */
export interface ScaleRun {
  readonly layout: BenchLayout;
  readonly side: BenchSide;
  readonly processes: number;
  readonly jobs: number;
  /** Jobs / seconds from the first completion seen to the last (polled every {@link POLL_MS} ms). */
  readonly jobsPerSecond: number;
  /** CPU (user + sys) of the Redis server holding the queue (a cluster: its slot's master) per job over the processing, µs. */
  readonly redisCpuUsPerJob: number;
  /** CPU of the other servers per job over the same span, µs: 0 on one Redis; on a cluster what its other masters spent (slot-map refreshes, health checks). */
  readonly otherServersCpuUsPerJob: number;
  /** Redis CPU over the processing as a share of one core, 0-1 (Redis runs commands on one thread). */
  readonly redisCpuShare: number;
  /** CPU (user + sys) of all worker processes together per job over the processing, µs; NaN without /proc. */
  readonly workerCpuUsPerJob: number;
  /** Commands Redis processed per job over the processing, less this bench's own polls. */
  readonly redisCommandsPerJob: number;
  /** Redis CPU per job of the enqueue (the producer's `addBulk`, 1000 jobs a call), µs. */
  readonly enqueueRedisCpuUsPerJob: number;
  /** Commands Redis processed per job of the enqueue (inside BullMQ's scripts included). */
  readonly enqueueCommandsPerJob: number;
  /** `used_memory` growth per job while all `jobs` wait, bytes (job hash, wait list entry, share of the events stream). */
  readonly waitingBytesPerJob: number;
  /** `MEMORY USAGE` of one waiting job's hash, bytes. */
  readonly waitingJobHashBytes: number;
  /** Completed jobs Redis still holds at the end (`removeOnComplete` trims them). */
  readonly completedKept: number;
  /** `MEMORY USAGE` of one kept completed job's hash (data, result, timestamps), bytes. */
  readonly completedJobHashBytes: number;
  /** `used_memory` at the end over the empty queue's, bytes: kept completed jobs, the events stream, the id counter. */
  readonly keptBytes: number;
  /** `MEMORY USAGE` of the queue's events stream at the end (trimmed to ~10 000 events by BullMQ), bytes. */
  readonly eventsStreamBytes: number;
  /** Jobs each worker process completed (from its own count at exit). */
  readonly perProcess: readonly number[];
}

/** How often the run asks Redis how many jobs are left, ms. */
export const POLL_MS = 10;

/** Options of {@link measureScaleRun}. */
export interface ScaleRunOptions {
  /** Where to run, emptied first (`flush`); the caller starts and stops it. */
  readonly redis: BenchRedis;
  /** Where the worker processes are registered while they run (Ctrl-C). */
  readonly cleanup: BenchCleanup;
  readonly side: BenchSide;
  readonly processes: number;
  readonly jobs: number;
  readonly concurrency: number;
  /** A run whose last job has not completed this long after the resume throws (ms). */
  readonly ceilingMs: number;
}

/** A run in which a job failed, or that did not finish within its ceiling. */
export class ScaleRunError extends Error {
  override readonly name = 'ScaleRunError';
}

/**
 * One run on `redis` (emptied first): the `seo` queue paused; `jobs` SEO_AUDIT jobs enqueued
 * through the contracts' `JobProducer.addBulk` (1000 per call, the contract's default job
 * options: 3 attempts, completed trimmed to 100 / 24 h); memory read while they wait;
 * `processes` worker processes of `side` started and ready; the queue resumed; then the server
 * holding the queue asked every {@link POLL_MS} ms how many jobs are left until none is.
 * Rate = jobs over the time from the first poll that saw a job completed to the first that saw
 * none left. Workers are stopped with SIGTERM and must exit 0. On a cluster the queue's keys are
 * under `<prefix>:{seo-audit}` (`queuePrefix`), all on one master; Redis's CPU, commands and
 * memory are that master's.
 * @throws ScaleRunError when a job fails, the run passes `ceilingMs`, or the workers' own counts do not add up to `jobs`; BenchWorkerExitError when a worker exits other than 0.
 */
export async function measureScaleRun(options: ScaleRunOptions): Promise<ScaleRun> {
  const { redis, side, processes, jobs, concurrency } = options;
  await redis.flush();
  const prefix = `scale-${randomBytes(3).toString('hex')}`;
  const queueKey = `${queuePrefix({ redis: redis.settings, prefix }, QUEUE_NAMES.seo)}:${QUEUE_NAMES.seo}`;
  const home = await redis.serverOf(queueKey);
  const admin = home.admin;
  const others = redis.servers.filter((s) => s !== home);
  const othersCpu = async () => (await Promise.all(others.map((s) => sampleRedisInfo(s.admin)))).reduce((sum, info) => sum + info.cpuSeconds, 0);
  const producer = new JobProducer({ redis: redis.settings, prefix });
  const workers: BenchWorkerProcess[] = [];
  try {
    const queue = producer.queue(QUEUE_NAMES.seo);
    await queue.pause();
    const empty = await sampleRedisInfo(admin);
    let firstId: string | undefined;
    for (let added = 0; added < jobs; added += 1000) {
      const batch = Array.from({ length: Math.min(1000, jobs - added) }, () => ({ data: SEO_NOOP_DATA }));
      const sent = await producer.addBulk('SEO_AUDIT', batch);
      firstId ??= sent[0].id;
    }
    const waiting = await sampleRedisInfo(admin);
    const waitingJobHashBytes = Number(await admin.memory('USAGE', `${queueKey}:${firstId}`, 'SAMPLES', '0'));

    for (let i = 0; i < processes; i += 1) {
      workers.push(await startBenchWorkerProcess({ side, queue: QUEUE_NAMES.seo, redisEnv: redis.workerEnv, prefix, concurrency, cleanup: options.cleanup }));
    }
    const workersCpu = () => workers.reduce((sum, w) => sum + processCpuSeconds(w.process.child.pid), 0);
    const workersCpuBefore = workersCpu();
    const before = await sampleRedisInfo(admin);
    const othersCpuBefore = await othersCpu();
    await queue.resume();
    const resumedAt = process.hrtime.bigint();
    let firstDoneAt: bigint | undefined;
    let lastDoneAt: bigint | undefined;
    let polls = 0;
    while (lastDoneAt === undefined) {
      const { remaining, failed } = await queueProgress(admin, queueKey);
      polls += 1;
      const now = process.hrtime.bigint();
      if (failed > 0) throw new ScaleRunError(`${side} x${processes}: ${failed} job(s) failed`);
      if (remaining < jobs) firstDoneAt ??= now;
      if (remaining === 0) lastDoneAt = now;
      else if (Number(now - resumedAt) / 1e6 > options.ceilingMs) throw new ScaleRunError(`${side} x${processes}: ${remaining} of ${jobs} jobs left after ${options.ceilingMs} ms`);
      else await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const after = await sampleRedisInfo(admin);
    const othersCpuAfter = await othersCpu();
    const workersCpuAfter = workersCpu();
    const perProcess: number[] = [];
    for (const worker of workers.splice(0)) perProcess.push(await worker.stop());
    // Each job exactly once: a job run twice (stalled and redone) or never would make the rate a lie.
    const completedByWorkers = perProcess.reduce((a, b) => a + b, 0);
    if (completedByWorkers !== jobs) throw new ScaleRunError(`${side} x${processes}: the workers completed ${completedByWorkers} jobs, expected ${jobs}`);

    const completedKept = await queue.getCompletedCount();
    const [kept] = await queue.getCompleted(0, 0);
    const completedJobHashBytes = kept ? Number(await admin.memory('USAGE', `${queueKey}:${kept.id}`, 'SAMPLES', '0')) : 0;
    const eventsStreamBytes = Number(await admin.memory('USAGE', `${queueKey}:events`, 'SAMPLES', '0'));
    const end = await sampleRedisInfo(admin);
    const seconds = Number((lastDoneAt ?? resumedAt) - (firstDoneAt ?? resumedAt)) / 1e9;
    const cpuSeconds = after.cpuSeconds - before.cpuSeconds;
    return {
      layout: redis.layout,
      side,
      processes,
      jobs,
      jobsPerSecond: jobs / Math.max(seconds, POLL_MS / 1000),
      redisCpuUsPerJob: (cpuSeconds * 1e6) / jobs,
      otherServersCpuUsPerJob: ((othersCpuAfter - othersCpuBefore) * 1e6) / jobs,
      redisCpuShare: cpuSeconds / (Number((lastDoneAt ?? resumedAt) - resumedAt) / 1e9),
      workerCpuUsPerJob: ((workersCpuAfter - workersCpuBefore) * 1e6) / jobs,
      redisCommandsPerJob: (after.commands - before.commands - polls * COMMANDS_PER_POLL) / jobs,
      enqueueRedisCpuUsPerJob: ((waiting.cpuSeconds - empty.cpuSeconds) * 1e6) / jobs,
      enqueueCommandsPerJob: (waiting.commands - empty.commands) / jobs,
      waitingBytesPerJob: (waiting.usedMemoryBytes - empty.usedMemoryBytes) / jobs,
      waitingJobHashBytes,
      completedKept,
      completedJobHashBytes,
      keptBytes: end.usedMemoryBytes - empty.usedMemoryBytes,
      eventsStreamBytes,
      perProcess,
    };
  } finally {
    for (const worker of workers) worker.process.kill();
    await Promise.all(workers.map((w) => w.process.exited));
    await producer.close();
  }
}
