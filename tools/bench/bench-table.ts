import type { Spread } from './bench-stats';

/** One row of the bench table: a quantity measured on the kit and, where there is one, on raw BullMQ. */
export interface BenchRow {
  readonly name: string;
  readonly unit: string;
  readonly kit: Spread;
  readonly raw?: Spread;
  /** What the row must show to meet its target, e.g. `ratio >= 0.95`. */
  readonly target: string;
  /** Whether the medians meet the target. */
  readonly met: boolean;
  /** How the ratio column is computed: kit/raw (default) or kit-raw. */
  readonly compare?: 'ratio' | 'difference';
}

const fmt = (n: number): string => (Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
const cell = (s: Spread | undefined): string => (s ? `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}` : '-');

/** The rows as one plain-text table (min / median / max per side, kit vs raw of the medians). */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const header = ['measure', 'unit', 'runs', 'kit min / median / max', 'raw min / median / max', 'kit vs raw', 'target', 'met'];
  const body = rows.map((r) => [
    r.name,
    r.unit,
    String(r.kit.runs),
    cell(r.kit),
    cell(r.raw),
    !r.raw ? '-' : r.compare === 'difference' ? `${r.kit.median - r.raw.median >= 0 ? '+' : ''}${fmt(r.kit.median - r.raw.median)}` : `${(r.kit.median / r.raw.median).toFixed(3)}x`,
    r.target,
    r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}
