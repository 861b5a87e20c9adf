import type { JobHandler } from '@jobs/worker-kit';
import { closeRunOnFinalFailure, isFinalFailure } from './engine/close-run-on-final-failure';
import { runWorkflow, type WorkflowEngineDeps } from './engine/run-workflow';

/**
 * The `WORKFLOW_EXECUTION` handler: runs or resumes the job's run (see `runWorkflow`). A run that
 * ends — completed, failed or cancelled — completes the job with that result; a waiting run
 * suspends the job; only infrastructure errors fail the attempt (retried, resuming from the
 * journal). When such an error is the job's last attempt, the run's record is marked failed
 * before the job fails, so no record says `running` for a job that will never run again.
 */
export function createWorkflowExecutionHandler(deps: WorkflowEngineDeps): JobHandler<'WORKFLOW_EXECUTION'> {
  return async (ctx) => {
    try {
      return await runWorkflow(deps, ctx);
    } catch (err) {
      if (isFinalFailure(ctx.job, err)) await closeRunOnFinalFailure(deps, ctx.job, ctx.data, err, ctx.log);
      throw err;
    }
  };
}
