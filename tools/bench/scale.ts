// `npm run bench:scale [-- --jobs 20000 --processes 1,2,4 --concurrency 50 --repeats 3] [--cluster]`
//
// The scaling curve on one Redis: for each process count P, N no-op SEO_AUDIT jobs enqueued
// through the contracts' producer, then P worker processes made with the kit (validation,
// metrics, logging, health server as in production; the handler stubbed) — and, alternately,
// P bare BullMQ Worker processes with the same concurrency and connection options — and jobs/s
// from the first completion to the last. Prints a Markdown table of medians with kit/raw, scaling
// vs the smallest P, and Redis's CPU, commands and memory per job.
//
// `--cluster`: the same curve on a throwaway 3-master Redis Cluster (the platform's cluster mode:
// REDIS_CLUSTER_NODES, hash-tagged prefixes; the raw workers on an ioredis Cluster with the same
// prefix), then the spread case: the same load on three queues of three slot groups at once (seo,
// ads, email), on one Redis and on the cluster, side by side. The cluster is stopped at the end,
// on an error and on Ctrl-C.
import { cpus, loadavg, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { QUEUE_SLOT_GROUPS, queuePrefix } from '@jobs/queue-contracts';
import { BenchCleanup } from './scale/bench-cleanup';
import type { BenchRedis } from './scale/bench-redis';
import type { BenchSide } from './scale/bench-side';
import { measureFailedJobMemory } from './scale/failed-job-memory';
import { measureScaleRun, POLL_MS, type ScaleRun } from './scale/measure-scale-run';
import { measureSpreadRun, type SpreadRun } from './scale/measure-spread-run';
import { parseScaleOptions, type ScaleOptions } from './scale/scale-options';
import { ScaleOptionsError } from './scale/scale-options-error';
import { formatScaleTable, memoryPerJob, scaleRows } from './scale/scale-table';
import { SPREAD_QUEUES } from './scale/spread-jobs';
import { formatSpreadTable, spreadGain, spreadRows } from './scale/spread-table';
import { startClusterRedis } from './scale/start-cluster-redis';
import { startOneRedis } from './scale/start-one-redis';
import { withBenchRedis } from './scale/with-bench-redis';

const say = (line: string) => process.stdout.write(`${line}\n`);
const load = () => loadavg()[0].toFixed(1);
const loads = () => loadavg().map((l) => l.toFixed(2)).join(' / ');

/** Kit and raw in the order a run pair goes: alternated, so drift over the session (heat, other load) hits both alike. */
const sidesFor = (turn: number): BenchSide[] => (turn % 2 === 0 ? ['kit', 'raw'] : ['raw', 'kit']);

/** The curve: every process count, both sides, `repeats` times, each run on the Redis `onRedis` gives it. */
async function measureCurve(
  options: ScaleOptions,
  cleanup: BenchCleanup,
  onRedis: (use: (redis: BenchRedis) => Promise<ScaleRun>) => Promise<ScaleRun>,
): Promise<ScaleRun[]> {
  const runs: ScaleRun[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    for (const processes of options.processes) {
      for (const side of sidesFor(repeat + processes)) {
        const run = await onRedis((redis) => measureScaleRun({ redis, cleanup, side, processes, jobs: options.jobs, concurrency: options.concurrency, ceilingMs: options.runCeilingMs }));
        runs.push(run);
        const others = run.layout === 'cluster' ? `, other masters ${run.otherServersCpuUsPerJob.toFixed(1)} µs CPU/job` : '';
        say(
          `  run ${repeat + 1}/${options.repeats} P=${processes} ${side}: ${run.jobsPerSecond.toFixed(0)} jobs/s, Redis ${run.redisCpuUsPerJob.toFixed(1)} µs CPU/job (${(run.redisCpuShare * 100).toFixed(0)} % of a core)${others}, ${run.redisCommandsPerJob.toFixed(1)} cmds/job, workers ${run.workerCpuUsPerJob.toFixed(0)} µs CPU/job, jobs per process ${run.perProcess.join('/')}, load ${load()}`,
        );
      }
    }
  }
  return runs;
}

/** Prints the curve's table and the enqueue and memory readings of its runs. */
function printCurve(runs: readonly ScaleRun[], jobs: number): void {
  say('');
  say(formatScaleTable(scaleRows(runs)));
  const mem = memoryPerJob(runs);
  say('');
  say(`enqueue (JobProducer.addBulk, 1000 jobs a call; not in the table): Redis ${mem.enqueueRedisCpuUsPerJob.toFixed(1)} µs CPU and ${mem.enqueueCommandsPerJob.toFixed(1)} commands per job (medians)`);
  say('Redis memory (medians over all runs; SEO_AUDIT\'s job options from the contracts: completed kept 24 h / last 100, failed kept 7 days):');
  say(`  waiting job: ${mem.waitingBytesPerJob.toFixed(0)} B per job (used_memory growth / ${jobs}; includes the events stream up to its ~10 000-event cap); its hash alone ${mem.waitingJobHashBytes} B (MEMORY USAGE)`);
  say(`  completed job kept: ${mem.completedJobHashBytes} B for its hash (with the result); ${mem.completedKept} kept on the queue after the run (removeOnComplete)`);
}

/** The default bench: the curve, each run on a fresh redis-server, then a failed job's memory. */
async function runOneRedis(options: ScaleOptions, cleanup: BenchCleanup): Promise<void> {
  const runs = await measureCurve(options, cleanup, (use) => withBenchRedis(cleanup, 'redis-server', startOneRedis, use));
  printCurve(runs, options.jobs);
  const mem = memoryPerJob(runs);
  const failed = await measureFailedJobMemory();
  say(`  failed job kept (7 days): ${failed.failedJobHashBytes} B for its hash (${failed.attemptsMade} attempts, a stack trace each; median of ${failed.failed} failed by a kit worker)`);
  say(`  after the run: used_memory ${(mem.keptBytes / 1024).toFixed(0)} KiB over the empty queue, of which the events stream ${(mem.eventsStreamBytes / 1024).toFixed(0)} KiB`);
}

/** Says which master holds each spread queue's slot group. */
async function describeCluster(cluster: BenchRedis): Promise<void> {
  const placed = await Promise.all(
    SPREAD_QUEUES.map(async (queue) => {
      const server = await cluster.serverOf(`${queuePrefix({ redis: cluster.settings, prefix: 'bull' }, queue)}:${queue}`);
      return `{${QUEUE_SLOT_GROUPS[queue]}} (${queue}) on ${server.address}`;
    }),
  );
  say(`cluster: ${cluster.servers.length} masters ${cluster.servers.map((s) => s.address).join(', ')} (REDIS_CLUSTER_NODES); ${placed.join(', ')}`);
}

/** The spread case: one Redis (fresh per run) and the cluster alternating, kit and raw alternating. */
async function measureSpread(options: ScaleOptions, cleanup: BenchCleanup, cluster: BenchRedis): Promise<SpreadRun[]> {
  const runs: SpreadRun[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    const layouts = repeat % 2 === 0 ? (['one Redis', 'cluster'] as const) : (['cluster', 'one Redis'] as const);
    for (const [i, layout] of layouts.entries()) {
      for (const side of sidesFor(repeat + i)) {
        const measure = (redis: BenchRedis) =>
          measureSpreadRun({ redis, cleanup, side, jobsPerQueue: options.jobs, concurrency: options.concurrency, ceilingMs: options.runCeilingMs });
        const run = layout === 'cluster' ? await measure(cluster) : await withBenchRedis(cleanup, 'redis-server', startOneRedis, measure);
        runs.push(run);
        const servers = run.servers.map((s) => `${s.queues.join('+') || 'no queue'} ${(s.cpuShare * 100).toFixed(0)} %`).join(', ');
        say(
          `  spread run ${repeat + 1}/${options.repeats} ${layout} ${side}: ${run.jobsPerSecond.toFixed(0)} jobs/s, Redis ${run.redisCpuUsPerJob.toFixed(1)} µs CPU/job (% of a core: ${servers}), workers ${run.workerCpuUsPerJob.toFixed(0)} µs CPU/job, jobs per queue ${SPREAD_QUEUES.map((q) => run.perQueue[q]).join('/')}, load ${load()}`,
        );
      }
    }
  }
  return runs;
}

/** `--cluster`: the curve on a throwaway cluster, then the spread case against one Redis. */
async function runCluster(options: ScaleOptions, cleanup: BenchCleanup): Promise<void> {
  const addresses = await withBenchRedis(cleanup, 'Redis Cluster', () => startClusterRedis(3), async (cluster) => {
    await describeCluster(cluster);
    say('');
    say(`curve on the cluster: the seo queue's keys under <prefix>:{seo-audit}, all on one master; "Redis" below is that master`);
    const runs = await measureCurve(options, cleanup, (use) => use(cluster));
    printCurve(runs, options.jobs);
    say(`  (a failed job's hash: as on one Redis, measured by the default run; the hash tag adds ${`:{${QUEUE_SLOT_GROUPS.seo}}`.length} bytes to each key name)`);
    say('');
    say(
      `spread: ${options.jobs} jobs on each of ${SPREAD_QUEUES.join(', ')} at once (slot groups ${SPREAD_QUEUES.map((q) => `{${QUEUE_SLOT_GROUPS[q]}}`).join(', ')}), one worker process per queue, concurrency ${options.concurrency}; one Redis (a fresh redis-server per run) vs the cluster`,
    );
    const spreadRuns = await measureSpread(options, cleanup, cluster);
    const rows = spreadRows(spreadRuns);
    say('');
    say(formatSpreadTable(rows));
    const gain = spreadGain(rows);
    if (gain) {
      say(
        `cluster vs one Redis (medians): jobs/s kit ×${gain.jobsPerSecond.kit.toFixed(2)}, raw ×${gain.jobsPerSecond.raw.toFixed(2)}; the busiest Redis server's share of a core kit ×${gain.busiestShare.kit.toFixed(2)}, raw ×${gain.busiestShare.raw.toFixed(2)}`,
      );
    }
    return cluster.servers.map((s) => s.address);
  });
  say(`stopped the throwaway cluster (${addresses.join(', ')})`);
}

async function main(cleanup: BenchCleanup): Promise<void> {
  const options = parseScaleOptions(process.argv.slice(2));
  const redisVersion = /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown';
  const cores = cpus().length;
  const where = options.cluster ? 'a throwaway 3-master Redis Cluster on this machine, no replicas' : 'one instance';
  say(`bench:scale${options.cluster ? ' --cluster' : ''} on ${new Date().toISOString()}: ${cores} CPU core(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, redis-server ${redisVersion} (${where}, no persistence)`);
  say(
    `${options.jobs} SEO_AUDIT jobs per run, concurrency ${options.concurrency} per process, processes ${options.processes.join(', ')}, ${options.repeats} run(s) per point and side, kit and raw alternating`,
  );
  const servers = options.cluster ? 'the Redis servers (each single-threaded)' : 'Redis (single-threaded)';
  say(`note: this machine has ${cores} core(s) shared by ${servers}, every worker process and this bench; the curve flattens where Redis's one thread or the cores saturate.`);
  say(`load average at start (1/5/15 min): ${loads()}: anything else running on the machine lowers both sides' rates`);
  if (options.cluster) await runCluster(options, cleanup);
  else await runOneRedis(options, cleanup);
  say('');
  say(`load average at the end (1/5/15 min): ${loads()}`);
  say(
    `rates: jobs / (last completion - first completion), both seen by polling Redis every ${POLL_MS} ms; Redis CPU: INFO used_cpu_sys+used_cpu_user from the resume to the last completion; cmds/job: total_commands_processed over the same span, less the polls (commands inside BullMQ's Lua scripts count); worker CPU: utime+stime of the worker processes (/proc) over the same span, all processes together.`,
  );
}

const cleanup = new BenchCleanup();
cleanup.releaseOnSignals((line) => process.stderr.write(`${line}\n`));
main(cleanup).then(
  async () => {
    await cleanup.releaseAll();
  },
  async (err: unknown) => {
    // Cut short by Ctrl-C: the signal handler stops everything and exits; the run's errors are its doing.
    if (cleanup.interruptedBy) return;
    await cleanup.releaseAll();
    if (err instanceof ScaleOptionsError) {
      process.stderr.write(`bench:scale: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench:scale failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
