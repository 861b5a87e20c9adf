/**
 * The id of the job a child-job step enqueues: `wf-<runId>-<stepId>-<attempt>` on the step's first
 * visit, `wf-<runId>-<stepId>-<attempt>.v<visit>` when a loop brings the run back to it (attempt
 * and visit 1-based; step ids have no '.', so the two forms never meet). Deterministic, so a step
 * re-run after a crash between the enqueue and the journal write finds the job it already added
 * instead of adding a second one; a new attempt (the step's retry after its child failed for
 * good) and a new visit ("call, wait a day, call again") each get a new job.
 */
export function childJobId(runId: string, stepId: string, attempt: number, visit = 1): string {
  return visit === 1 ? `wf-${runId}-${stepId}-${attempt}` : `wf-${runId}-${stepId}-${attempt}.v${visit}`;
}
