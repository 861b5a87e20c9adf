import type { FakeMetaInsightsQuery } from './fake-meta-insights';

/** `async_status` values of an AdReportRun (Marketing API, "Asynchronous Jobs"). */
export type FakeMetaAsyncStatus = 'Job Not Started' | 'Job Started' | 'Job Running' | 'Job Completed' | 'Job Failed' | 'Job Skipped';

/** One async insights report run of the fake. */
export interface FakeMetaReportRun {
  readonly id: string;
  readonly accountId: string;
  readonly query: FakeMetaInsightsQuery;
  /** Status reads so far. */
  polls: number;
  /** How it ends: `Job Completed`, or `Job Failed` / `Job Skipped` when injected. */
  readonly outcome: 'Job Completed' | 'Job Failed' | 'Job Skipped';
  readonly createdAt: Date;
}

/**
 * The fake's async report runs. A run moves one step per status read: `Job Not Started` (0 %),
 * `Job Started` (0 %), `Job Running` (percent rising) … until `pollsToComplete` reads have been
 * made, then its outcome (100 %). Ids are 15+ digit strings like Graph's.
 */
export class FakeMetaReportRuns {
  private readonly runs = new Map<string, FakeMetaReportRun>();
  private nextOutcome: FakeMetaReportRun['outcome'] | undefined;
  private seq = 0;

  constructor(private readonly pollsToComplete: number) {}

  /** The next run created ends with `outcome` instead of completing. */
  failNext(outcome: 'Job Failed' | 'Job Skipped'): void {
    this.nextOutcome = outcome;
  }

  create(accountId: string, query: FakeMetaInsightsQuery): FakeMetaReportRun {
    const id = String(6_023_000_000_000_000 + ++this.seq);
    const run: FakeMetaReportRun = { id, accountId, query, polls: 0, outcome: this.nextOutcome ?? 'Job Completed', createdAt: new Date() };
    this.nextOutcome = undefined;
    this.runs.set(id, run);
    return run;
  }

  get(id: string): FakeMetaReportRun | undefined {
    return this.runs.get(id);
  }

  all(): FakeMetaReportRun[] {
    return [...this.runs.values()];
  }

  /** The run's status now (counting this read) as Graph's AdReportRun JSON. */
  poll(run: FakeMetaReportRun): Record<string, unknown> {
    run.polls++;
    const status = this.status(run);
    const done = status === run.outcome;
    const percent = done ? 100 : status === 'Job Running' ? Math.min(99, Math.round((run.polls / this.pollsToComplete) * 100)) : 0;
    return {
      id: run.id,
      account_id: run.accountId.replace(/^act_/, ''),
      async_status: status,
      async_percent_completion: percent,
      date_start: run.query.since,
      date_stop: run.query.until,
      is_running: !done,
      time_ref: Math.floor(run.createdAt.getTime() / 1000),
      ...(done ? { time_completed: Math.floor(Date.now() / 1000) } : {}),
    };
  }

  /** Whether the run's rows may be read (it completed). */
  isCompleted(run: FakeMetaReportRun): boolean {
    return run.outcome === 'Job Completed' && run.polls >= this.pollsToComplete;
  }

  private status(run: FakeMetaReportRun): FakeMetaAsyncStatus {
    if (run.polls >= this.pollsToComplete) return run.outcome;
    if (run.polls <= 1) return 'Job Not Started';
    if (run.polls === 2) return 'Job Started';
    return 'Job Running';
  }
}
