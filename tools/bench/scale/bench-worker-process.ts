import { spawnWorkerProcess, type WorkerProcess } from '@jobs/test-support';
import type { BenchCleanup } from './bench-cleanup';
import type { BenchSide } from './bench-side';
import { COMPLETED_COUNT_MSG, RAW_READY_MSG } from './bench-worker-report';
import type { SpreadQueue } from './spread-jobs';

/** A bench worker process that is ready to take jobs. */
export interface BenchWorkerProcess {
  readonly side: BenchSide;
  readonly queue: SpreadQueue;
  readonly process: WorkerProcess;
  /** SIGTERM, then waits for the exit; resolves with the jobs it completed. @throws BenchWorkerExitError on a non-zero exit */
  stop(): Promise<number>;
}

/** A bench worker process exited other than 0, or without printing its completed count. */
export class BenchWorkerExitError extends Error {
  override readonly name = 'BenchWorkerExitError';
}

const ENTRIES: Record<BenchSide, string> = {
  kit: 'tools/bench/scale/kit-worker-main.ts',
  raw: 'tools/bench/scale/raw-worker-main.ts',
};

/** Longest a worker process may take to start (tsx compiles its sources first; 4 at once on 2 cores). */
const START_TIMEOUT_MS = 120_000;

/** Polls the kit worker's `/readyz` until it answers 200 (eviction gate open, worker running, Redis answering). */
async function waitForReadyz(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`kit worker on health port ${port} not ready within ${timeoutMs} ms (last status ${status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What {@link startBenchWorkerProcess} starts. */
export interface BenchWorkerOptions {
  readonly side: BenchSide;
  /** The queue it works on (`BENCH_QUEUE`). */
  readonly queue: SpreadQueue;
  /** Where Redis is: `REDIS_URL`, or `REDIS_CLUSTER_NODES` (see `BenchRedis.workerEnv`). */
  readonly redisEnv: Readonly<Record<string, string>>;
  /** `BULLMQ_PREFIX`, before any hash tag (the worker adds its queue group's in cluster mode). */
  readonly prefix: string;
  /** BullMQ concurrency of the process. */
  readonly concurrency: number;
  /** Where the process is registered at once, so a Ctrl-C of the bench kills it (and forgotten once it exited). */
  readonly cleanup: BenchCleanup;
}

/**
 * Starts one worker process of `side` on `queue` and resolves once it takes jobs: the kit's
 * `/readyz` answers 200, or the raw worker's connection is ready. Logging is the kit's production
 * default (`info`, JSON lines on stdout, read by this process).
 * @throws Error when it exits or is not ready within 120 s (its stderr in the message).
 */
export async function startBenchWorkerProcess(options: BenchWorkerOptions): Promise<BenchWorkerProcess> {
  const { side, queue } = options;
  const child = spawnWorkerProcess(ENTRIES[side], {
    ...options.redisEnv,
    BENCH_QUEUE: queue,
    BULLMQ_PREFIX: options.prefix,
    WORKER_CONCURRENCY: String(options.concurrency),
    WORKER_MAX_JOBS_PER_SECOND: '0',
    HEALTH_HOST: '127.0.0.1',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
  });
  const forget = options.cleanup.add(`${side} worker ${child.child.pid}`, () => {
    child.kill();
    return child.exited.then(() => undefined);
  });
  void child.exited.then(forget);
  try {
    if (side === 'kit') {
      const started = await child.waitForLine((l) => l['msg'] === 'worker started', START_TIMEOUT_MS);
      await waitForReadyz(Number(started['healthPort']), START_TIMEOUT_MS);
    } else {
      await child.waitForLine((l) => l['msg'] === RAW_READY_MSG, START_TIMEOUT_MS);
    }
  } catch (err) {
    child.kill();
    throw err;
  }
  return {
    side,
    queue,
    process: child,
    async stop() {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGTERM');
      const { code, signal } = await child.exited;
      const report = child.lines.find((l) => l['msg'] === COMPLETED_COUNT_MSG);
      if (code !== 0 || !report) {
        throw new BenchWorkerExitError(`${side} worker ${child.child.pid} (${queue}) exited ${code ?? signal}${report ? '' : ' without its completed count'}; stderr: ${child.stderr().slice(-2000)}`);
      }
      return Number(report['completed']);
    },
  };
}
