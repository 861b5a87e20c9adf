import type { QueueName } from '@jobs/queue-contracts';
import { redactSecrets } from '@jobs/worker-kit';
import type { FailedJobFilter } from './failed-job-filter';
import type { RerunError } from './rerun-failed-jobs';
import type { SelectedFailedJob } from './selected-failed-job';

/** What `retry` / `redrive` did to one queue. */
export interface QueueRerunReport {
  readonly queue: QueueName;
  /** Jobs picked (with explicit ids: the ids given, failed or not). */
  selected: number;
  /** Moved back to wait (always 0 in a dry run). */
  moved: number;
  /** Not failed any more when their turn came (or, with explicit ids, not failed to begin with). */
  skipped: number;
  /** Jobs the move failed for, with BullMQ's or Redis's message. */
  readonly failures: RerunError[];
  /** In a dry run, the jobs that would be re-run. */
  readonly jobs?: readonly SelectedFailedJob[];
}

/**
 * The result of a `retry` / `redrive` run, printed as a table or, with `--json`, as
 * {@link toJsonReport}'s object.
 */
export interface BulkRerunReport {
  readonly action: 'retry' | 'redrive';
  readonly dryRun: boolean;
  readonly filter: FailedJobFilter;
  readonly queues: QueueRerunReport[];
  /** True when Ctrl-C stopped the run between two batches (or before the first). */
  stopped: boolean;
  /**
   * Set when Redis became unavailable while jobs were being moved: the counts are what was done
   * before; `uncertain` jobs of the last batch got no answer (moved or not); `message` is the
   * client's error message. The command then exits 4 after printing the report.
   */
  redisUnavailable?: { readonly message: string; readonly uncertain: number };
}

/** Sums of a report's per-queue counts. */
export function reportTotals(report: BulkRerunReport): { selected: number; moved: number; skipped: number; errors: number } {
  return report.queues.reduce(
    (sum, q) => ({ selected: sum.selected + q.selected, moved: sum.moved + q.moved, skipped: sum.skipped + q.skipped, errors: sum.errors + q.failures.length }),
    { selected: 0, moved: 0, skipped: 0, errors: 0 },
  );
}

/**
 * The `--json` form: `{ action, dryRun, stopped, redisUnavailable: null | { message, uncertain }, filter: { failedSince, failedBefore (ISO or null),
 * names, errorMatches, limit }, totals: { selected, moved, skipped, errors }, queues: [{ queue,
 * selected, moved, skipped, errors, failures: [{ id, message }], jobs?: [{ id, name,
 * failedReason, failedAt (ISO) }] }] }` — `jobs-cli` only in a dry run. Failure reasons and error
 * messages pass through the kit's `redactSecrets` (as `jobs-cli list` and `show` do): operators paste
 * this output into tickets.
 */
export function toJsonReport(report: BulkRerunReport): unknown {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    action: report.action,
    dryRun: report.dryRun,
    stopped: report.stopped,
    redisUnavailable: report.redisUnavailable ? { message: redactSecrets(report.redisUnavailable.message), uncertain: report.redisUnavailable.uncertain } : null,
    filter: {
      failedSince: iso(report.filter.failedSinceMs),
      failedBefore: iso(report.filter.failedBeforeMs),
      names: report.filter.names ?? [],
      errorMatches: report.filter.errorMatches?.source ?? null,
      limit: report.filter.limit ?? null,
    },
    totals: reportTotals(report),
    queues: report.queues.map((q) => ({
      queue: q.queue,
      selected: q.selected,
      moved: q.moved,
      skipped: q.skipped,
      errors: q.failures.length,
      failures: q.failures.map((f) => ({ id: f.id, message: redactSecrets(f.message) })),
      ...(q.jobs ? { jobs: q.jobs.map((job) => ({ id: job.id, name: job.name, failedReason: job.failedReason === null ? null : redactSecrets(job.failedReason), failedAt: iso(job.failedAtMs) })) } : {}),
    })),
  };
}
