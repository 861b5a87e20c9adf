// `npm run bench:scale [-- --jobs 20000 --processes 1,2,4 --concurrency 50 --repeats 3]`
//
// The scaling curve on one Redis: for each process count P, N no-op SEO_AUDIT jobs enqueued
// through the contracts' producer, then P worker processes made with the kit (validation,
// metrics, logging, health server as in production; the handler stubbed) — and, alternately,
// P bare BullMQ Worker processes with the same concurrency and connection options — and jobs/s
// from the first completion to the last. Prints a Markdown table of medians with kit/raw, scaling
// vs the smallest P, and Redis's CPU, commands and memory per job. `--cluster` is refused (not yet).
import { cpus, loadavg, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { ClusterNotYetError } from './scale/cluster-not-yet-error';
import { measureFailedJobMemory } from './scale/failed-job-memory';
import { measureScaleRun, POLL_MS, type ScaleRun } from './scale/measure-scale-run';
import { parseScaleOptions } from './scale/scale-options';
import { ScaleOptionsError } from './scale/scale-options-error';
import { formatScaleTable, memoryPerJob, scaleRows } from './scale/scale-table';
import type { BenchSide } from './scale/bench-side';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseScaleOptions(process.argv.slice(2));
  const redisVersion = /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown';
  const cores = cpus().length;
  say(`bench:scale on ${new Date().toISOString()}: ${cores} CPU core(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, redis-server ${redisVersion} (one instance, no persistence)`);
  say(
    `${options.jobs} SEO_AUDIT jobs per run, concurrency ${options.concurrency} per process, processes ${options.processes.join(', ')}, ${options.repeats} run(s) per point and side, kit and raw alternating`,
  );
  say(
    `note: this machine has ${cores} core(s) shared by Redis (single-threaded), every worker process and this bench; the curve flattens where Redis's one thread or the cores saturate.`,
  );
  say(`load average at start (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')}: anything else running on the machine lowers both sides' rates`);
  const runs: ScaleRun[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    for (const processes of options.processes) {
      // Alternate which side goes first, so drift over the session (heat, other load) hits both alike.
      const sides: BenchSide[] = (repeat + processes) % 2 === 0 ? ['kit', 'raw'] : ['raw', 'kit'];
      for (const side of sides) {
        const run = await measureScaleRun({ side, processes, jobs: options.jobs, concurrency: options.concurrency, ceilingMs: options.runCeilingMs });
        runs.push(run);
        say(
          `  run ${repeat + 1}/${options.repeats} P=${processes} ${side}: ${run.jobsPerSecond.toFixed(0)} jobs/s, Redis ${run.redisCpuUsPerJob.toFixed(1)} µs CPU/job (${(run.redisCpuShare * 100).toFixed(0)} % of a core), ${run.redisCommandsPerJob.toFixed(1)} cmds/job, workers ${run.workerCpuUsPerJob.toFixed(0)} µs CPU/job, jobs per process ${run.perProcess.join('/')}, load ${loadavg()[0].toFixed(1)}`,
        );
      }
    }
  }
  say('');
  say(formatScaleTable(scaleRows(runs)));
  const mem = memoryPerJob(runs);
  say('');
  say(`enqueue (JobProducer.addBulk, 1000 jobs a call; not in the table): Redis ${mem.enqueueRedisCpuUsPerJob.toFixed(1)} µs CPU and ${mem.enqueueCommandsPerJob.toFixed(1)} commands per job (medians)`);
  say('Redis memory (medians over all runs; SEO_AUDIT\'s job options from the contracts: completed kept 24 h / last 100, failed kept 7 days):');
  say(`  waiting job: ${mem.waitingBytesPerJob.toFixed(0)} B per job (used_memory growth / ${options.jobs}; includes the events stream up to its ~10 000-event cap); its hash alone ${mem.waitingJobHashBytes} B (MEMORY USAGE)`);
  say(`  completed job kept: ${mem.completedJobHashBytes} B for its hash (with the result); ${mem.completedKept} kept on the queue after the run (removeOnComplete)`);
  const failed = await measureFailedJobMemory();
  say(`  failed job kept (7 days): ${failed.failedJobHashBytes} B for its hash (${failed.attemptsMade} attempts, a stack trace each; median of ${failed.failed} failed by a kit worker)`);
  say(`  after the run: used_memory ${(mem.keptBytes / 1024).toFixed(0)} KiB over the empty queue, of which the events stream ${(mem.eventsStreamBytes / 1024).toFixed(0)} KiB`);
  say('');
  say(`load average at the end (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  say(`rates: jobs / (last completion - first completion), both seen by polling Redis every ${POLL_MS} ms; Redis CPU: INFO used_cpu_sys+used_cpu_user from the resume to the last completion; cmds/job: total_commands_processed over the same span, less the polls (commands inside BullMQ's Lua scripts count); worker CPU: utime+stime of the worker processes (/proc) over the same span, all processes together.`);
}

main().catch((err: unknown) => {
  if (err instanceof ClusterNotYetError || err instanceof ScaleOptionsError) {
    process.stderr.write(`bench:scale: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench:scale failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
