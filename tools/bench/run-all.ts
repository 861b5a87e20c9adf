// `npm run bench [-- --quick] [--only P2,P6]`: the worker kit against raw BullMQ, each measure on private
// throwaway redis-servers, sides alternated, several runs each; prints one table.
//
// P1  jobs/s of createQueueWorker (no-op SEO_AUDIT handler, contract checked both ways, logger
//     at info to /dev/null) vs a bare BullMQ Worker on the same jobs, 20 000 jobs at concurrency
//     50 and 5, neither with a limiter (WORKER_MAX_JOBS_PER_SECOND=0: a limiter is set only where
//     a queue's configuration asks for one, so "none" is the fair comparison).
//     Then the breakdown: the kit's processor alone (no Redis) and the contract's zod parses, CPU µs per job.
// P2  jobs/s of JobProducer.add / addBulk (zod parse, size check, options) vs Queue.add / addBulk.
// P3  idle Redis commands per minute (INFO commandstats) and pickup latency p50/p99.
// P6  idle RSS of the built seo worker; RSS every 10 000 jobs over 100 000 (kit worker, child process).
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '@jobs/test-support';
import { spread, type Spread } from './bench-stats';
import { formatBenchTable, type BenchRow } from './bench-table';
import { measureIdleCommands } from './idle-commands';
import { measureKitOverhead } from './kit-overhead';
import { measurePickupLatency } from './pickup-latency';
import { measureProducerThroughput, type ProducerMode } from './producer-throughput';
import { measureBuiltWorkerIdleRss, measureRssUnderLoad } from './worker-memory';
import { measureWorkerThroughput, type BenchSide } from './worker-throughput';

const quick = process.argv.includes('--quick');
/** `--only P2` (repeatable, or `--only P2,P6`): run just those parts; default all. */
const only = new Set(
  process.argv
    .flatMap((arg, i, all) => (arg === '--only' ? (all[i + 1] ?? '').split(',') : arg.startsWith('--only=') ? arg.slice(7).split(',') : []))
    .map((part) => part.trim().toUpperCase())
    .filter(Boolean),
);
const runs = (part: string) => only.size === 0 || only.has(part);
const RUNS = quick ? 3 : 5;
const say = (line: string) => process.stderr.write(`${line}\n`);

/** Runs `measure` RUNS times per side, alternating which side goes first. */
async function alternate(label: string, measure: (side: BenchSide) => Promise<number>): Promise<Record<BenchSide, number[]>> {
  const out: Record<BenchSide, number[]> = { kit: [], raw: [] };
  for (let run = 0; run < RUNS; run += 1) {
    const order: BenchSide[] = run % 2 === 0 ? ['kit', 'raw'] : ['raw', 'kit'];
    for (const side of order) {
      const value = await measure(side);
      out[side].push(value);
      say(`  ${label} run ${run + 1} ${side}: ${value.toFixed(2)}`);
    }
  }
  return out;
}

function ratioRow(name: string, unit: string, values: Record<BenchSide, number[]>, minRatio: number): BenchRow {
  const kit = spread(values.kit);
  const raw = spread(values.raw);
  return { name, unit, kit, raw, target: `kit/raw >= ${minRatio}`, met: kit.median / raw.median >= minRatio };
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  const jobs = quick ? 10_000 : 20_000;
  // One throw-away pass per side first: module loading and JIT warm-up belong to neither side.
  if (runs('P1')) {
    say('warming up');
    await measureWorkerThroughput('kit', 2000, 50);
    await measureWorkerThroughput('raw', 2000, 50);
  }

  for (const concurrency of runs('P1') ? [50, 5] : []) {
    say(`P1 worker jobs/s, ${jobs} jobs, concurrency ${concurrency}`);
    const values = await alternate(`P1 c${concurrency}`, (side) => measureWorkerThroughput(side, jobs, concurrency));
    rows.push(ratioRow(`P1 worker c${concurrency} (${jobs} jobs)`, 'jobs/s', values, 0.95));
  }

  if (runs('P1')) {
    // Where P1's difference comes from: the kit's processor alone (no Redis), and the contract's
    // two zod parses alone, in CPU µs per job; informational, the target is P1's ratio.
    say('P1 breakdown: the kit processor and the contract checks alone, CPU per job');
    const processor: number[] = [];
    const validation: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const o = await measureKitOverhead(quick ? 400 : 1000);
      processor.push(o.processorUs);
      validation.push(o.validationUs);
      say(`  P1 breakdown run ${run + 1}: processor ${o.processorUs.toFixed(1)} µs, of which contract ${o.validationUs.toFixed(1)} µs`);
    }
    rows.push({ name: 'P1 kit processor, no Redis', unit: 'µs CPU/job', kit: spread(processor), target: 'info', met: true });
    rows.push({ name: 'P1 of which contract (zod)', unit: 'µs CPU/job', kit: spread(validation), target: 'info', met: true });
  }

  const producerModes: [ProducerMode, number][] = [['add', quick ? 2000 : 5000], ['addBulk', quick ? 10_000 : 20_000]];
  if (runs('P2')) {
    // The same throw-away pass for the producers: the first run of either side pays the JIT.
    say('warming up the producers');
    for (const side of ['kit', 'raw'] as const) for (const [mode] of producerModes) await measureProducerThroughput(side, mode, 1000);
  }
  for (const [mode, count] of runs('P2') ? producerModes : []) {
    say(`P2 producer ${mode}, ${count} jobs`);
    const values = await alternate(`P2 ${mode}`, (side) => measureProducerThroughput(side, mode, count));
    rows.push(ratioRow(`P2 producer ${mode} (${count} jobs)`, 'jobs/s', values, 0.95));
  }

  if (runs('P3')) rows.push(...(await measureP3()));
  if (runs('P6')) {
    const p6 = await measureP6();
    rows.push(...p6.rows);
    process.stdout.write(`\n${formatBenchTable(rows)}\n`);
    process.stdout.write(`\nP6 RSS (MB) idle, then after each 10 000 jobs: ${p6.readings.map((r) => r.toFixed(1)).join(', ')}\n`);
  } else {
    process.stdout.write(`\n${formatBenchTable(rows)}\n`);
  }
}

/** P3: idle commands per minute and pickup latency, as table rows. */
async function measureP3(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const windowMs = quick ? 15_000 : 30_000;
  say(`P3 idle commands per minute over ${windowMs / 1000} s (kit and raw side by side, each on its own server)`);
  const idle: Record<BenchSide, number[]> = { kit: [], raw: [] };
  for (let run = 0; run < 3; run += 1) {
    const r = await measureIdleCommands(windowMs);
    idle.kit.push(r.kit);
    idle.raw.push(r.raw);
    say(`  P3 idle run ${run + 1}: kit ${r.kit.toFixed(1)}, raw ${r.raw.toFixed(1)}`);
  }
  const idleKit = spread(idle.kit);
  const idleRaw = spread(idle.raw);
  rows.push({ name: 'P3 idle Redis commands', unit: 'cmd/min', kit: idleKit, raw: idleRaw, target: 'kit <= raw (no limiter)', met: idleKit.median <= idleRaw.median, compare: 'difference' });

  const samples = quick ? 100 : 200;
  say(`P3 pickup latency, ${samples} jobs one at a time per run`);
  const pickup = { p50: { kit: [] as number[], raw: [] as number[] }, p99: { kit: [] as number[], raw: [] as number[] } };
  await alternate('P3 pickup p99', async (side) => {
    const r = await measurePickupLatency(side, samples);
    pickup.p50[side].push(r.p50);
    pickup.p99[side].push(r.p99);
    return r.p99;
  });
  const p50 = { kit: spread(pickup.p50.kit), raw: spread(pickup.p50.raw) };
  const p99 = { kit: spread(pickup.p99.kit), raw: spread(pickup.p99.raw) };
  rows.push({ name: 'P3 pickup latency p50', unit: 'ms', ...p50, target: 'info', met: true, compare: 'difference' });
  rows.push({ name: 'P3 pickup latency p99', unit: 'ms', ...p99, target: 'kit - raw <= 1 ms', met: p99.kit.median - p99.raw.median <= 1, compare: 'difference' });
  return rows;
}

/** P6: idle RSS of the built seo worker and RSS under load, as table rows and the load readings. */
async function measureP6(): Promise<{ rows: BenchRow[]; readings: number[] }> {
  const rows: BenchRow[] = [];

  say('P6 building the seo worker (nx build seo-worker)');
  execFileSync('npx', ['nx', 'build', 'seo-worker'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const idleRss: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    idleRss.push(await measureBuiltWorkerIdleRss());
    say(`  P6 idle RSS run ${run + 1}: ${idleRss[run].toFixed(1)} MB`);
  }
  const idleRssSpread = spread(idleRss);
  rows.push({ name: 'P6 idle RSS, built seo worker', unit: 'MB', kit: idleRssSpread, target: '<= 80 MB', met: idleRssSpread.median <= 80 });

  const loadJobs = quick ? 30_000 : 100_000;
  say(`P6 RSS every 10 000 jobs over ${loadJobs} (kit worker in a child process)`);
  const readings = await measureRssUnderLoad(loadJobs, 10_000);
  const load: Spread = spread(readings.slice(1));
  rows.push({ name: `P6 RSS under load (${loadJobs} jobs)`, unit: 'MB', kit: load, target: 'info', met: true });

  return { rows, readings };
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
