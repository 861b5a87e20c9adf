import { spread, type Spread } from '../bench-stats';
import type { ScaleRun } from './measure-scale-run';

/** One process count's results over its repeats, kit and raw side by side. */
export interface ScaleRow {
  readonly processes: number;
  readonly kit: Spread;
  readonly raw: Spread;
  /** kit median / raw median jobs/s. */
  readonly kitOverRaw: number;
  /** Median jobs/s over the median at the smallest process count, per side. */
  readonly kitScaling: number;
  readonly rawScaling: number;
  /** Medians of Redis CPU µs per job, share of one core, and commands per job, per side. */
  readonly redisCpuUsPerJob: { readonly kit: number; readonly raw: number };
  readonly redisCpuShare: { readonly kit: number; readonly raw: number };
  readonly redisCommandsPerJob: { readonly kit: number; readonly raw: number };
  /** Median worker-process CPU µs per job (all processes together), per side. */
  readonly workerCpuUsPerJob: { readonly kit: number; readonly raw: number };
}

const median = (values: readonly number[]): number => spread(values).median;

/**
 * Groups `runs` by process count (ascending) into {@link ScaleRow}s; scaling is against the
 * smallest process count measured.
 * @throws Error when a process count lacks runs of either side.
 */
export function scaleRows(runs: readonly ScaleRun[]): ScaleRow[] {
  const counts = [...new Set(runs.map((r) => r.processes))].sort((a, b) => a - b);
  const of = (p: number, side: 'kit' | 'raw') => runs.filter((r) => r.processes === p && r.side === side);
  const base = { kit: spread(of(counts[0], 'kit').map((r) => r.jobsPerSecond)).median, raw: spread(of(counts[0], 'raw').map((r) => r.jobsPerSecond)).median };
  return counts.map((processes) => {
    const kitRuns = of(processes, 'kit');
    const rawRuns = of(processes, 'raw');
    const kit = spread(kitRuns.map((r) => r.jobsPerSecond));
    const raw = spread(rawRuns.map((r) => r.jobsPerSecond));
    const both = <K extends keyof ScaleRun>(key: K) => ({ kit: median(kitRuns.map((r) => Number(r[key]))), raw: median(rawRuns.map((r) => Number(r[key]))) });
    return {
      processes,
      kit,
      raw,
      kitOverRaw: kit.median / raw.median,
      kitScaling: kit.median / base.kit,
      rawScaling: raw.median / base.raw,
      redisCpuUsPerJob: both('redisCpuUsPerJob'),
      redisCpuShare: both('redisCpuShare'),
      redisCommandsPerJob: both('redisCommandsPerJob'),
      workerCpuUsPerJob: both('workerCpuUsPerJob'),
    };
  });
}

const jobsCell = (s: Spread) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}-${s.max.toFixed(0)})`;
const pair = (v: { kit: number; raw: number }, digits: number) => `${v.kit.toFixed(digits)} / ${v.raw.toFixed(digits)}`;

/** The rows as a Markdown table (pasteable into SCALING.md). */
export function formatScaleTable(rows: readonly ScaleRow[]): string {
  const header = [
    'P',
    'kit jobs/s median (min-max)',
    'raw jobs/s median (min-max)',
    'kit/raw',
    'scaling vs P=1 kit / raw',
    'Redis CPU µs/job kit / raw',
    'Redis CPU % of a core kit / raw',
    'Redis cmds/job kit / raw',
    'worker CPU µs/job kit / raw',
  ];
  const body = rows.map((r) => [
    String(r.processes),
    jobsCell(r.kit),
    jobsCell(r.raw),
    r.kitOverRaw.toFixed(2),
    `${r.kitScaling.toFixed(2)} / ${r.rawScaling.toFixed(2)}`,
    pair(r.redisCpuUsPerJob, 1),
    pair({ kit: r.redisCpuShare.kit * 100, raw: r.redisCpuShare.raw * 100 }, 0),
    pair(r.redisCommandsPerJob, 1),
    pair(r.workerCpuUsPerJob, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The enqueue's Redis cost and the memory per job over every run (medians); bytes, µs. */
export interface MemoryPerJob {
  readonly enqueueRedisCpuUsPerJob: number;
  readonly enqueueCommandsPerJob: number;
  readonly waitingBytesPerJob: number;
  readonly waitingJobHashBytes: number;
  readonly completedJobHashBytes: number;
  readonly completedKept: number;
  readonly keptBytes: number;
  readonly eventsStreamBytes: number;
}

/** Medians of the enqueue and memory readings of `runs`. */
export function memoryPerJob(runs: readonly ScaleRun[]): MemoryPerJob {
  const m = (key: keyof MemoryPerJob) => median(runs.map((r) => r[key]));
  return {
    enqueueRedisCpuUsPerJob: m('enqueueRedisCpuUsPerJob'),
    enqueueCommandsPerJob: m('enqueueCommandsPerJob'),
    waitingBytesPerJob: m('waitingBytesPerJob'),
    waitingJobHashBytes: m('waitingJobHashBytes'),
    completedJobHashBytes: m('completedJobHashBytes'),
    completedKept: m('completedKept'),
    keptBytes: m('keptBytes'),
    eventsStreamBytes: m('eventsStreamBytes'),
  };
}
