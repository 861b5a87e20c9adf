/**
 * The id of the job a child-job step enqueues: `wf-<runId>-<stepId>-<attempt>` (attempt 1-based).
 * Deterministic, so a step re-run after a crash between the enqueue and the journal write finds
 * the job it already added instead of adding a second one; a new attempt (the step's retry after
 * its child failed for good) gets a new job.
 */
export function childJobId(runId: string, stepId: string, attempt: number): string {
  return `wf-${runId}-${stepId}-${attempt}`;
}
