import { Job } from 'bullmq';
import type { QueueName } from '@jobs/queue-contracts';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { EXIT_CODES } from '../exit-codes';
import { type BulkRerunReport, type QueueRerunReport, reportTotals } from './bulk-rerun-report';
import type { FailedJobRunOptions } from './failed-job-options';
import { printBulkRerunReport } from './print-bulk-rerun-report';
import { createProgressReporter } from './progress-reporter';
import { rerunFailedJobs } from './rerun-failed-jobs';
import { selectFailedJobs } from './select-failed-jobs';
import type { SelectedFailedJob } from './selected-failed-job';

/** What `retry` / `redrive` asked for, parsed. */
export interface BulkRerunRequest {
  readonly action: 'retry' | 'redrive';
  readonly queues: readonly QueueName[];
  readonly options: FailedJobRunOptions;
  /** `retry <queue> <jobId…>`: these ids of the one queue instead of a filtered selection. */
  readonly ids?: readonly string[];
}

/**
 * Runs `retry` / `redrive`: selects (read-only) the failed jobs of each queue, then — unless a
 * dry run — moves them back to wait in batches with a progress report on stderr, stopping between
 * batches when `ctx.signal` aborts (Ctrl-C); prints the report on stdout either way.
 *
 * Outcome, after the report is printed:
 * - returns (exit 0) when every selected job was moved or skipped, or the dry run found some;
 * - throws CliError `notFound` (3) when nothing matched, or an explicit id does not exist (then
 *   nothing is moved and no report is printed);
 * - throws CliError `conflict` (6) when explicit ids were given and none of them was failed;
 * - throws CliError `partialFailure` (1) when some moves failed or Ctrl-C stopped the run.
 * @throws the Redis client's error when Redis cannot be reached (main maps it to exit 4): while
 *   selecting, before anything was moved and without a report; while moving, after printing the
 *   report of what was moved (with `redisUnavailable` set).
 */
export async function runBulkRerun(ctx: CliContext, request: BulkRerunRequest): Promise<void> {
  const { options } = request;
  const report: BulkRerunReport = { action: request.action, dryRun: options.dryRun, filter: options.filter, queues: [], stopped: false };
  const selections = new Map<QueueName, SelectedFailedJob[]>();
  let remaining = options.filter.limit ?? Number.POSITIVE_INFINITY;
  for (const name of request.queues) {
    if (ctx.signal?.aborted) {
      report.stopped = true;
      break;
    }
    const queueReport: QueueRerunReport = { queue: name, selected: 0, moved: 0, skipped: 0, failures: [] };
    const selected = request.ids
      ? await selectByIds(ctx, name, request.ids, queueReport)
      : await selectByFilter(ctx, name, { ...options.filter, limit: Number.isFinite(remaining) ? remaining : undefined });
    remaining -= selected.length;
    queueReport.selected += selected.length;
    if (options.dryRun) Object.assign(queueReport, { jobs: selected });
    selections.set(name, selected);
    report.queues.push(queueReport);
    if (remaining <= 0) break;
  }

  const lostRedis = !options.dryRun && !report.stopped ? await moveSelections(ctx, request.action, report, selections, options.batchSize) : undefined;

  printBulkRerunReport(report, ctx.stdout, options.json);
  // Redis went away mid-move: the report above is what was done; exit 4 says why it stopped.
  if (lostRedis !== undefined) throw lostRedis.error;
  const totals = reportTotals(report);
  if (totals.selected === 0 && !report.stopped) {
    throw new CliError(EXIT_CODES.notFound, `no failed job matched in ${request.queues.join(', ')}`);
  }
  if (report.stopped) {
    throw new CliError(EXIT_CODES.partialFailure, `stopped by Ctrl-C: ${totals.moved + totals.skipped + totals.errors} of ${totals.selected} selected jobs handled`);
  }
  if (totals.errors > 0) {
    throw new CliError(EXIT_CODES.partialFailure, `${totals.errors} of ${totals.selected} jobs could not be moved back to wait`);
  }
  const failedAtStart = [...selections.values()].reduce((sum, jobs) => sum + jobs.length, 0);
  const noneFailed = options.dryRun ? failedAtStart === 0 : totals.moved === 0 && totals.skipped === totals.selected;
  if (request.ids && noneFailed) {
    throw new CliError(EXIT_CODES.conflict, `none of the jobs is failed (${request.ids.join(', ')}): nothing to retry`);
  }
}

async function selectByFilter(ctx: CliContext, name: QueueName, filter: FailedJobRunOptions['filter']): Promise<SelectedFailedJob[]> {
  const selected: SelectedFailedJob[] = [];
  for await (const page of selectFailedJobs(ctx.queue(name), filter)) {
    selected.push(...page);
    if (ctx.signal?.aborted) break;
  }
  return selected;
}

/**
 * Explicit ids: each read with `Job.fromId` and checked with `job.isFailed()`; the failed ones
 * are selected, the others counted as skipped at once.
 * @throws CliError (notFound) naming every id that has no job, before anything is moved.
 */
async function selectByIds(ctx: CliContext, name: QueueName, ids: readonly string[], queueReport: QueueRerunReport): Promise<SelectedFailedJob[]> {
  const queue = ctx.queue(name);
  const unique = [...new Set(ids)];
  const jobs = await Promise.all(unique.map(async (id) => {
    const job = await Job.fromId(queue, id);
    return { id, job, failed: job ? await job.isFailed() : false };
  }));
  const missing = jobs.filter((entry) => !entry.job).map((entry) => entry.id);
  if (missing.length > 0) throw new CliError(EXIT_CODES.notFound, `no job ${missing.join(', ')} in queue ${name}`);
  const notFailed = jobs.filter((entry) => !entry.failed);
  queueReport.selected += notFailed.length;
  queueReport.skipped += notFailed.length;
  return jobs
    .filter((entry) => entry.failed && entry.job)
    .map(({ id, job }) => ({ id, name: job?.name ?? '', failedReason: job?.failedReason ?? null, failedAtMs: job?.finishedOn ?? 0 }));
}

/** Moves every selection in turn; resolves with Redis's error when it became unavailable mid-run (recorded in `report`). */
async function moveSelections(ctx: CliContext, action: string, report: BulkRerunReport, selections: Map<QueueName, SelectedFailedJob[]>, batchSize: number): Promise<{ error: unknown } | undefined> {
  const total = [...selections.values()].reduce((sum, jobs) => sum + jobs.length, 0);
  if (total === 0) return undefined;
  const progress = createProgressReporter(ctx, action, total);
  // Ctrl-C lets the running batch finish (its moves are already on their way to Redis): say so,
  // as that can take a moment on a slow link.
  const onAbort = () => ctx.stderr.write(`\n${action}: stopping after the current batch (Ctrl-C again to quit now)\n`);
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let doneBefore = 0;
  try {
    for (const queueReport of report.queues) {
      const ids = (selections.get(queueReport.queue) ?? []).map((job) => job.id);
      if (ids.length === 0) continue;
      if (ctx.signal?.aborted) {
        report.stopped = true;
        break;
      }
      const outcome = await rerunFailedJobs(ctx.queue(queueReport.queue), ids, {
        batchSize,
        signal: ctx.signal,
        onProgress: (handled) => progress.update(doneBefore + handled, queueReport.queue),
      });
      queueReport.moved += outcome.moved;
      queueReport.skipped += outcome.skipped;
      queueReport.failures.push(...outcome.errors);
      doneBefore += ids.length;
      if (outcome.unavailable) {
        const { error, uncertain } = outcome.unavailable;
        report.redisUnavailable = { message: error instanceof Error ? error.message : String(error), uncertain };
        return { error };
      }
      if (outcome.stopped) {
        report.stopped = true;
        break;
      }
    }
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    progress.stop();
  }
  return undefined;
}
