import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisSettings } from '@jobs/queue-contracts';
import { REPO_ROOT, spawnWorkerProcess, type WorkerProcess } from '@jobs/test-support';

/** What every part of the demo shares. */
export interface DemoContext {
  readonly redisUrl: string;
  readonly redisSettings: RedisSettings;
  /** BullMQ prefix of this run, so it never touches other keys. */
  readonly prefix: string;
  /** True when the Redis is the user's (REDIS_URL): leave nothing behind in it. */
  readonly externalRedis: boolean;
  say(line: string): void;
  /** Registers a clean-up step; steps run in reverse order at the end or on Ctrl-C. */
  onCleanup(step: () => Promise<void>): void;
}

/**
 * Starts a worker app's `main.ts` as its own process for the demo, waits until it takes jobs,
 * and registers its stop (SIGTERM, then its exit code is printed) and its log file
 * (`tmp/demo-<name>.log`).
 * @throws Error when the worker does not say "worker started" within 30 s.
 */
export async function startDemoWorker(ctx: DemoContext, name: string, entry: string, env: Record<string, string>): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(entry, { REDIS_URL: ctx.redisUrl, BULLMQ_PREFIX: ctx.prefix, HEALTH_HOST: '127.0.0.1', HEALTH_PORT: '0', ...env }, { ownProcessGroup: true });
  const logFile = join(REPO_ROOT, 'tmp', `demo-${name}.log`);
  ctx.onCleanup(async () => {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGTERM');
      const exit = await worker.exited;
      ctx.say(`${name} stopped (exit code ${exit.code})`);
    }
    mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
    writeFileSync(logFile, worker.lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + worker.stderr());
    ctx.say(`${name} log: ${logFile}`);
  });
  const started = await worker.waitForLine((l) => l['msg'] === 'worker started', 30_000);
  ctx.say(`${name} started (pid ${worker.child.pid}, health on http://127.0.0.1:${started['healthPort']}/readyz)`);
  return worker;
}

/** Rejects when the worker exits before `done` settles, naming its log, instead of hanging. */
export function unlessWorkerDies<T>(worker: WorkerProcess, name: string, done: Promise<T>): Promise<T> {
  let finished = false;
  const died = worker.exited.then(({ code, signal }) => {
    if (!finished) throw new Error(`the ${name} exited (${signal ?? code}) before its job finished; see tmp/demo-${name}.log`);
    return undefined as never;
  });
  died.catch(() => undefined);
  const race = Promise.race([done.finally(() => (finished = true)), died]);
  // Marked as handled: a caller awaiting several of these one by one must not crash on the
  // ones it has not reached yet when the worker stops (Ctrl-C).
  race.catch(() => undefined);
  return race;
}
