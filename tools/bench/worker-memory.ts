import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, spawnWorkerProcess, startThrowawayRedis } from '@jobs/test-support';
import { fillSeoQueue, openSeoQueue } from './seo-noop-job';

/** Resident set size of process `pid` in MB, from /proc/<pid>/status (VmRSS). */
export function residentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/**
 * The node arguments of a built app's `npm start` (its generated package.json's `start` script,
 * `node <flags> main.js`, the same flags as the image's CMD), so a bench runs the built worker
 * the documented way, without npm in between.
 * @throws Error when the script is missing or is not `node ... main.js` (an old build).
 */
export function builtStartArgs(appDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = (manifest.scripts?.start ?? '').split(/\s+/).filter(Boolean);
  if (words[0] !== 'node' || words[words.length - 1] !== 'main.js') {
    throw new Error(`${appDir}/package.json has no "start": "node ... main.js" script; rebuild it (npx nx build <app>)`);
  }
  return [...words.slice(1, -1), join(appDir, 'main.js')];
}

/**
 * P6 (idle), one run: the BUILT seo worker (`dist/apps/seo-worker`, built beforehand) started as
 * its `npm start` does (see {@link builtStartArgs}) against a fresh private redis-server with
 * HEALTH_PORT=0; waits for its "worker started" line, then `idleMs` of idle, and returns its
 * VmRSS in MB.
 */
export async function measureBuiltWorkerIdleRss(idleMs = 5000): Promise<number> {
  const redis = await startThrowawayRedis();
  const child = spawn(process.execPath, builtStartArgs(join(REPO_ROOT, 'dist/apps/seo-worker')), {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', REDIS_URL: redis.url, HEALTH_PORT: '0', BULLMQ_PREFIX: `bench-${randomBytes(3).toString('hex')}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`built worker did not start within 30 s: ${stderr}`)), 30_000);
      child.once('exit', (code) => reject(new Error(`built worker exited (${code}): ${stderr}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.includes('"worker started"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, idleMs));
    return residentMb(child.pid as number);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await redis.stop();
  }
}

/**
 * P6 (load), one run: `jobs` no-op SEO_AUDIT jobs enqueued on a fresh private redis-server, then
 * a kit worker in a child process (tsx) works through them at concurrency 50, reporting its RSS
 * every `every` jobs. Returns the RSS readings in MB: first the idle one, then one per `every`.
 */
export async function measureRssUnderLoad(jobs = 100_000, every = 10_000): Promise<number[]> {
  const redis = await startThrowawayRedis();
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const queue = openSeoQueue(redis.url, prefix);
  await fillSeoQueue(queue, jobs);
  const child = spawnWorkerProcess('tools/bench/rss-worker-child.ts', { REDIS_URL: redis.url, BULLMQ_PREFIX: prefix, RSS_EVERY: String(every) });
  try {
    const readings: number[] = [];
    const ready = await child.waitForLine((l) => l['ready'] === true, 60_000);
    readings.push(Number(ready['rssBytes']) / 2 ** 20);
    for (let done = every; done <= jobs; done += every) {
      const line = await child.waitForLine((l) => l['completed'] === done, 600_000);
      readings.push(Number(line['rssBytes']) / 2 ** 20);
    }
    return readings;
  } finally {
    child.child.kill('SIGTERM');
    await child.exited;
    await queue.close();
    await redis.stop();
  }
}
