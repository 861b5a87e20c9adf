import { DelayedError, UnrecoverableError, WaitingChildrenError, WaitingError, type Job } from 'bullmq';
import { workflowRunIdOf, type JobData } from '@jobs/queue-contracts';
import { PermanentJobError, type Logger } from '@jobs/worker-kit';
import { RunJournal } from './journal';
import { ENDED_RUN_STATUSES, endRun } from './run-record';
import type { WorkflowEngineDeps } from './run-workflow';

/**
 * Whether `err`, thrown by the run's attempt, ends the job for good: BullMQ's suspensions are not
 * failures; a permanent error is final at once; anything else is final on the job's last attempt
 * (`job.opts.attempts`, default 1).
 */
export function isFinalFailure(job: Job, err: unknown): boolean {
  if (err instanceof DelayedError || err instanceof WaitingChildrenError || err instanceof WaitingError) return false;
  if (err instanceof PermanentJobError || err instanceof UnrecoverableError) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * After the run's job failed for good (Redis errors on every attempt, a pinned definition gone):
 * marks the run's record `failed` with the reason, so `getWorkflowRun` does not show a run
 * `running` for ever, and gives it the ended-record TTL. Fenced like every journal write (the
 * attempt still holds the job lock); only a record this job owns and that has not ended is
 * touched. Best effort: a failure here is logged, and the job's own failure stands.
 */
export async function closeRunOnFinalFailure(deps: WorkflowEngineDeps, job: Job, data: JobData<'WORKFLOW_EXECUTION'>, err: unknown, log: Logger): Promise<void> {
  const runId = workflowRunIdOf(data);
  if (!job.id || !job.token) return;
  try {
    const journal = new RunJournal(deps.redis, deps.prefix, runId, { lockKey: `${job.queueQualifiedName}:${job.id}:lock`, jobId: job.id, token: job.token });
    const { record } = await journal.open();
    if (!record || record.jobId !== job.id || ENDED_RUN_STATUSES.has(record.status)) return;
    const reason = err instanceof Error ? err.message : String(err);
    endRun(record, 'failed', (deps.now ?? Date.now)(), { error: `the run's job failed for good: ${reason}` });
    await journal.write(record, deps.recordTtlMs);
    log.warn({ runId, reason }, 'workflow run failed: its job has no attempts left');
  } catch (closeErr) {
    log.warn({ runId, err: closeErr }, 'could not mark the run failed after its job failed for good');
  }
}
