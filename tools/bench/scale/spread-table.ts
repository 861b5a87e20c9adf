import { spread, type Spread } from '../bench-stats';
import type { BenchLayout } from './bench-redis';
import type { BenchSide } from './bench-side';
import type { SpreadRun } from './measure-spread-run';

/** A kit and a raw value of one quantity (medians over the runs). */
export interface KitRaw {
  readonly kit: number;
  readonly raw: number;
}

/** One server's median share of a core in a layout, named by the queues it holds. */
export interface ServerShare extends KitRaw {
  /** The queues it holds, joined with `+` (e.g. `seo+ads+email` on one Redis, `ads` on a master). */
  readonly queues: string;
}

/** One layout's spread runs, kit and raw side by side. */
export interface SpreadRow {
  readonly layout: BenchLayout;
  readonly kit: Spread;
  readonly raw: Spread;
  /** All servers' CPU per job, µs (medians). */
  readonly redisCpuUsPerJob: KitRaw;
  /** The busiest server's share of one core, 0-1 (median over runs of each run's busiest). */
  readonly busiestShare: KitRaw;
  /** Each server's share of one core, 0-1, in the layout's server order. */
  readonly serverShares: readonly ServerShare[];
  readonly workerCpuUsPerJob: KitRaw;
}

const median = (values: readonly number[]): number => spread(values).median;

/**
 * Groups spread runs by layout (`one Redis` first, then `cluster`), kit and raw side by side.
 * @throws Error when a layout present lacks runs of either side.
 */
export function spreadRows(runs: readonly SpreadRun[]): SpreadRow[] {
  const layouts = (['one Redis', 'cluster'] as const).filter((layout) => runs.some((r) => r.layout === layout));
  return layouts.map((layout) => {
    const of = (side: BenchSide) => runs.filter((r) => r.layout === layout && r.side === side);
    const both = (value: (run: SpreadRun) => number): KitRaw => ({ kit: median(of('kit').map(value)), raw: median(of('raw').map(value)) });
    const servers = of('kit')[0]?.servers ?? of('raw')[0]?.servers ?? [];
    return {
      layout,
      kit: spread(of('kit').map((r) => r.jobsPerSecond)),
      raw: spread(of('raw').map((r) => r.jobsPerSecond)),
      redisCpuUsPerJob: both((r) => r.redisCpuUsPerJob),
      busiestShare: both((r) => Math.max(...r.servers.map((s) => s.cpuShare))),
      serverShares: servers.map((server, i) => ({ queues: server.queues.join('+') || 'no queue', ...both((r) => r.servers[i]?.cpuShare ?? Number.NaN) })),
      workerCpuUsPerJob: both((r) => r.workerCpuUsPerJob),
    };
  });
}

const jobsCell = (s: Spread) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}-${s.max.toFixed(0)})`;
const pair = (v: KitRaw, digits: number, scale = 1) => `${(v.kit * scale).toFixed(digits)} / ${(v.raw * scale).toFixed(digits)}`;

/** The rows as a Markdown table (pasteable into SCALING.md). */
export function formatSpreadTable(rows: readonly SpreadRow[]): string {
  const header = [
    'layout',
    'kit jobs/s median (min-max)',
    'raw jobs/s median (min-max)',
    'Redis CPU µs/job, all servers, kit / raw',
    'busiest server % of a core kit / raw',
    '% of a core per server (its queues) kit / raw',
    'worker CPU µs/job kit / raw',
  ];
  const body = rows.map((r) => [
    r.layout === 'cluster' ? `cluster, ${r.serverShares.length} masters` : 'one Redis',
    jobsCell(r.kit),
    jobsCell(r.raw),
    pair(r.redisCpuUsPerJob, 1),
    pair(r.busiestShare, 0, 100),
    r.serverShares.map((s) => `${s.queues} ${pair(s, 0, 100)}`).join(', '),
    pair(r.workerCpuUsPerJob, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The cluster's medians over one Redis's: jobs/s and the busiest server's share of a core, per side. */
export interface SpreadGain {
  readonly jobsPerSecond: KitRaw;
  readonly busiestShare: KitRaw;
}

/**
 * Cluster over one Redis, from {@link spreadRows}' rows; undefined unless both layouts are there.
 */
export function spreadGain(rows: readonly SpreadRow[]): SpreadGain | undefined {
  const one = rows.find((r) => r.layout === 'one Redis');
  const cluster = rows.find((r) => r.layout === 'cluster');
  if (!one || !cluster) return undefined;
  return {
    jobsPerSecond: { kit: cluster.kit.median / one.kit.median, raw: cluster.raw.median / one.raw.median },
    busiestShare: { kit: cluster.busiestShare.kit / one.busiestShare.kit, raw: cluster.busiestShare.raw / one.busiestShare.raw },
  };
}
