import type { JobHandler } from '@jobs/worker-kit';
import { runWorkflow, type WorkflowEngineDeps } from './engine/run-workflow';

/**
 * The `WORKFLOW_EXECUTION` handler: runs or resumes the job's run (see `runWorkflow`). A run that
 * ends — completed, failed or cancelled — completes the job with that result; a waiting run
 * suspends the job; only infrastructure errors fail the attempt (retried, resuming from the
 * journal). A job that fails for good, in the handler or outside it (stalled too often), has its
 * run's record closed by the app's `onFailedForGood` hook (`closeRunAfterJobFailed`), which knows
 * what the kit decided: a job handed back at shutdown is not a failure.
 */
export function createWorkflowExecutionHandler(deps: WorkflowEngineDeps): JobHandler<'WORKFLOW_EXECUTION'> {
  return (ctx) => runWorkflow(deps, ctx);
}
