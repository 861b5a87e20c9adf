import { Job } from 'bullmq';
import { QUEUE_NAMES, type AddedJob, type JobData, type JobDataInput, type JobProducer } from '@jobs/queue-contracts';
import { WaitError, type JobHandler } from '@jobs/worker-kit';
import { detachChild } from './detach-child';

/**
 * When and what a job step's deadline timer looks at: the timer job's data and its due time.
 * `childQueue` is a step's `childJob.queue` as journaled (a string); the contract checks it.
 */
export interface StepDeadline extends Omit<JobData<'WORKFLOW_STEP_DEADLINE'>, 'childQueue'> {
  readonly childQueue: string;
  /** When the step's wait for its child ends (ms epoch): the step's deadline. */
  readonly atMs: number;
}

/** What {@link createStepDeadlineHandler} needs: queues opened through the worker's producer. */
export interface StepDeadlineDeps {
  readonly producer: JobProducer;
}

/** How long a timer that found the run still running waits before it looks again (ms). */
const RUN_ACTIVE_RECHECK_MS = 1000;

/**
 * The BullMQ job id of the deadline timer of child job `childJobId`: `wfdeadline-<childJobId>`.
 * One timer per child (the child id is per run, step and attempt), so a step re-run after a crash
 * schedules nothing new.
 */
export function stepDeadlineJobId(childJobId: string): string {
  return `wfdeadline-${childJobId}`;
}

/**
 * Schedules the timer of a job step's `timeoutMs`: a delayed `WORKFLOW_STEP_DEADLINE` job on
 * queue `workflow`, due at `atMs` (at once when that has passed), id
 * {@link stepDeadlineJobId}. BullMQ's waiting-children has no timed wake-up; this job is it
 * (see {@link createStepDeadlineHandler}). Idempotent: a second call for the same child returns
 * the timer already there (`alreadyExisted: true`), whatever its state.
 * @throws JobValidationError when the data breaks the contract; whatever ioredis throws when
 *   Redis is unreachable.
 */
export async function scheduleStepDeadline(producer: JobProducer, deadline: StepDeadline, now: number = Date.now()): Promise<AddedJob<'WORKFLOW_STEP_DEADLINE'>> {
  const { atMs, ...fields } = deadline;
  // The producer parses the data: a queue no child-job step uses is refused there.
  const data = fields as JobDataInput<'WORKFLOW_STEP_DEADLINE'>;
  return producer.add('WORKFLOW_STEP_DEADLINE', data, { jobId: stepDeadlineJobId(data.childJobId), delay: Math.max(0, atMs - now) });
}

/**
 * Removes the deadline timer of child job `childJobId` while it is still delayed, once its step
 * is over (the child finished, or the step failed), so timers due at a run's age limit (30 days
 * by default) do not pile up in the queue. Best effort: a timer that already ran (its outcome
 * stays readable), is running, or is gone is left as it is.
 * @returns whether a timer was removed.
 */
export async function cancelStepDeadline(producer: JobProducer, childJobId: string): Promise<boolean> {
  try {
    const timer = await Job.fromId(producer.queue(QUEUE_NAMES.workflow), stepDeadlineJobId(childJobId));
    if (!timer || !(await timer.isDelayed())) return false;
    await timer.remove();
    return true;
  } catch {
    // Promoted or taken meanwhile (locked): it finds nothing to do.
    return false;
  }
}

/**
 * The `WORKFLOW_STEP_DEADLINE` handler: when a job step's deadline is due and the run's job
 * still waits in `waiting-children` for that step's child, lets go of the child
 * (`detachChild`: removed when it has not started, unlinked when it has), so BullMQ moves the
 * run's job to wait; the run resumes past the deadline and the step fails as timed out (the
 * step's own deadline check). Outcomes:
 * - `detached`: done as above;
 * - `already-finished`: the child completed, failed, is gone or no longer belongs to the run
 *   (a finished child is never touched), or the run's job is not waiting for children (it
 *   resumes on its own, past the deadline, and the step enforces it);
 * - `run-gone`: no run job `runJobId`.
 *
 * The one case that is not left to the step: the run's job is `active` while the child is
 * still pending and linked. It may be between its last look at the child and its move to
 * waiting-children; the timer looks again in 1 s (`WaitError`: no attempt used, and no limit by
 * the timer's age — a timer made 30 days before its deadline is still deferred).
 * @throws WaitError as above; whatever ioredis or BullMQ throw (the job's attempts retry).
 */
export function createStepDeadlineHandler({ producer }: StepDeadlineDeps): JobHandler<'WORKFLOW_STEP_DEADLINE'> {
  return async ({ data, log }) => {
    const runJob = await Job.fromId(producer.queue(QUEUE_NAMES.workflow), data.runJobId);
    if (!runJob) return { outcome: 'run-gone' };
    const child = await Job.fromId(producer.queue(data.childQueue), data.childJobId);
    // Gone (BullMQ dropped the dependency with it), or unlinked already.
    if (!child || child.parentKey !== `${runJob.queueQualifiedName}:${runJob.id}`) return { outcome: 'already-finished' };
    const [runState, childState] = await Promise.all([runJob.getState(), child.getState()]);
    if (childState === 'completed' || childState === 'failed') return { outcome: 'already-finished' };
    if (runState === 'active') {
      throw new WaitError(RUN_ACTIVE_RECHECK_MS, `run ${data.runId} is running with child ${data.childJobId} pending: the deadline is looked at again`);
    }
    if (runState !== 'waiting-children') return { outcome: 'already-finished' };
    const how = await detachChild(child, childState);
    log.info({ runId: data.runId, stepId: data.stepId, childQueue: data.childQueue, childJobId: data.childJobId, how }, 'job step deadline: let go of the child, the run resumes');
    return { outcome: 'detached' };
  };
}
