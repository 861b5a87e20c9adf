import type { QueueName, QueueStats } from '@jobs/queue-contracts';
import { createTable } from './create-table';

const COUNTS = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

/**
 * The `stats` table: one row per queue with `waiting` (wait + prioritized + waiting-children),
 * `active`, `completed`, `failed`, `delayed` and `paused` (yes/no), then a `total` row (paused:
 * how many queues are).
 */
export function formatStatsTable(stats: Record<QueueName, QueueStats>): string {
  const table = createTable(['queue', ...COUNTS, 'paused']);
  const total = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0, paused: 0 };
  const rows = Object.entries(stats) as [QueueName, QueueStats][];
  for (const [name, s] of rows) {
    table.push([name, ...COUNTS.map((c) => String(s[c])), s.paused ? 'yes' : 'no']);
    for (const c of COUNTS) total[c] += s[c];
    if (s.paused) total.paused += 1;
  }
  table.push(['total', ...COUNTS.map((c) => String(total[c])), `${total.paused} of ${rows.length}`]);
  return table.toString();
}
