import { JOB_NAMES, type JobName } from '../job-names';
import { workflowRunIdOf, workflowRunJobId } from './workflow-run-id';

/**
 * The job id a producer gives a job added without `opts.jobId`, or `undefined` to let BullMQ
 * number it. Only `WORKFLOW_EXECUTION` has one: `wfrun-<runId>` with `runId` the data's own or
 * the one derived from `(workflowId, triggerId)`, so the same trigger delivered twice is one job
 * (one run) and the second add returns the first job with `alreadyExisted: true`.
 * @param name - the job type.
 * @param data - the job's data, already parsed by its contract.
 */
export function defaultJobId(name: JobName, data: unknown): string | undefined {
  if (name !== JOB_NAMES.WORKFLOW_EXECUTION) return undefined;
  return workflowRunJobId(workflowRunIdOf(data as { workflowId: string; triggerId: string; runId?: string }));
}
