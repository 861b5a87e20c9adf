import Table from 'cli-table3';
import { redactSecrets } from '@jobs/worker-kit';
import { type BulkRerunReport, reportTotals, toJsonReport } from './bulk-rerun-report';

/** A dry run lists the jobs themselves (not only counts) up to this many, without `--json`. */
export const DRY_RUN_LIST_LIMIT = 20;
/** Failures listed by id and message without `--json`; `--json` lists all. */
export const FAILURES_LISTED = 10;
const REASON_WIDTH = 100;

/**
 * Writes `report` to `stdout`: with `json`, one JSON document ({@link toJsonReport}); otherwise a
 * headline, a table (queue, selected, moved, skipped, errors) and, for a dry run of at most
 * {@link DRY_RUN_LIST_LIMIT} jobs, one line per job (id, name, first line of the failure reason).
 * Reasons and error messages are shown through the kit's `redactSecrets`.
 */
export function printBulkRerunReport(report: BulkRerunReport, stdout: NodeJS.WritableStream, json: boolean): void {
  if (json) {
    stdout.write(`${JSON.stringify(toJsonReport(report), null, 2)}\n`);
    return;
  }
  const totals = reportTotals(report);
  const queues = `${report.queues.length} queue${report.queues.length === 1 ? '' : 's'}`;
  const headline = report.dryRun
    ? `${report.action} (dry run, nothing changed): ${totals.selected} failed job${totals.selected === 1 ? '' : 's'} would be re-run in ${queues}`
    : `${report.action}: ${totals.moved} of ${totals.selected} selected job${totals.selected === 1 ? '' : 's'} moved back to wait in ${queues}` +
      (report.stopped ? ' (stopped by Ctrl-C)' : '') +
      (report.redisUnavailable
        ? ` (stopped: Redis became unavailable${report.redisUnavailable.uncertain > 0 ? `; ${report.redisUnavailable.uncertain} more got no answer and may or may not have moved` : ''})`
        : '');
  const table = new Table({ head: ['queue', 'selected', 'moved', 'skipped', 'errors'], style: { head: [], border: [] } });
  for (const q of report.queues) table.push([q.queue, q.selected, q.moved, q.skipped, q.failures.length]);
  const lines = [headline, table.toString()];
  if (report.dryRun && totals.selected <= DRY_RUN_LIST_LIMIT) {
    for (const q of report.queues) {
      for (const job of q.jobs ?? []) lines.push(`  ${q.queue} ${job.id} ${job.name} ${firstLine(job.failedReason)}`);
    }
  }
  const failures = report.queues.flatMap((q) => q.failures.map((f) => `  ${q.queue} ${f.id}: ${firstLine(f.message)}`));
  if (failures.length > 0) {
    lines.push(`errors (${failures.length}${failures.length > FAILURES_LISTED ? `, first ${FAILURES_LISTED}` : ''}):`, ...failures.slice(0, FAILURES_LISTED));
  }
  stdout.write(`${lines.join('\n')}\n`);
}

function firstLine(text: string | null): string {
  if (text === null) return '(no failure reason)';
  const line = redactSecrets(text).split('\n', 1)[0];
  return line.length > REASON_WIDTH ? `${line.slice(0, REASON_WIDTH - 1)}…` : line;
}
