import type { JobHandler } from '@jobs/worker-kit';
import { runWorkflow, type WorkflowEngineDeps } from './engine/run-workflow';

/**
 * The `WORKFLOW_EXECUTION` handler: runs or resumes the job's run (see `runWorkflow`). A run that
 * ends — completed, failed or cancelled — completes the job with that result; a waiting run
 * suspends the job; only infrastructure errors fail the attempt (retried, resuming from the journal).
 */
export function createWorkflowExecutionHandler(deps: WorkflowEngineDeps): JobHandler<'WORKFLOW_EXECUTION'> {
  return (ctx) => runWorkflow(deps, ctx);
}
