import type { Queue } from 'bullmq';
import { JOB_CONTRACTS, JobValidationError, type JobDataInput, type JsonValue } from '@jobs/queue-contracts';
import { killPoint } from '../../crash/kill-point';
import type { StepOfKind, StepResult, StepRunInput } from '../../engine/step-kind';
import { childJobId } from './child-job-id';
import { childWaitStateSchema, type ChildWaitState } from './child-wait-state';
import { detachChild } from './detach-child';
import { readChildOutcome, type ChildOutcome } from './read-child-outcome';

/** The job types a workflow step may start on another queue. */
export type ChildJobName = 'LEAD_ENRICHMENT' | 'EMAIL_DRAFT' | 'VOICE_CALL';

/** The step kinds that start a child job. */
export type ChildJobStep = StepOfKind<'enrich_lead' | 'draft_email' | 'place_call'>;

/**
 * One attempt of a step that runs job `jobName` on its own queue and waits for it, as a BullMQ
 * flow child of the run's job:
 *
 * 1. First entry (`state` undefined): the child id is `wf-<runId>-<stepId>-<attempt>`. If a job
 *    of that id exists already (this attempt was cut short by a crash after the enqueue, before
 *    the journal), it is the one waited for: nothing is added again. BullMQ would re-link a
 *    re-added child, but it makes a child that failed for good a pending dependency again (see
 *    `re-add-child-with-parent.spec.ts`). Otherwise the step's `input` expression is evaluated,
 *    the run's `userId` added, and the job added through the typed producer with
 *    `parent = the run's job` and `ignoreDependencyOnFailure` (a failed child never leaves the
 *    run in `waiting-children`).
 * 2. Suspend `{ waitFor: 'children' }` with state `{ childJobId, queue, deadline? }`, unless the
 *    child already finished.
 * 3. On resume: completed → the step completes with the child's result as output; failed for
 *    good → `failed`, retryable (the engine's retry runs attempt + 1 with a new child);
 *    unfinished (e.g. a call held for its calling window) → suspend again with the same state.
 *
 * `timeoutMs` (optional) bounds the wait, from the attempt's first entry (a re-run after a crash
 * before the wait was journaled starts it again): its deadline is journaled in the state and returned
 * as `until`. BullMQ cannot wake a job in `waiting-children` at a time, so the deadline is
 * enforced when the run next resumes (the engine's choice of wake-up, see the engine). Past the
 * deadline an unfinished child is removed when it has not started (the step may then be retried)
 * or unlinked when it has (not retryable: a second child would repeat its side effect).
 *
 * Failures that are not retryable: the input expression fails or is not a JSON object, sets
 * `userId`, or makes data the target contract refuses (the error names the field).
 */
export async function runChildJobStep(jobName: ChildJobName, input: StepRunInput<ChildJobStep>): Promise<StepResult> {
  const { step, job, producer, log } = input;
  const queueName = JOB_CONTRACTS[jobName].queue;
  const childQueue = producer.queue(queueName);

  if (input.state === undefined) {
    const id = childJobId(input.runId, step.id, input.attempt, input.visit);
    const deadline = step.timeoutMs === undefined ? undefined : input.now + step.timeoutMs;
    const wait: ChildWaitState = deadline === undefined ? { childJobId: id, queue: queueName } : { childJobId: id, queue: queueName, deadline };
    const earlier = await readChildOutcome(job, childQueue, id);
    if (earlier.status === 'missing') {
      const refused = await enqueue(jobName, input, id);
      if (refused) return refused;
      log.debug({ childJobId: id, queue: queueName }, 'child job added');
    } else {
      log.info({ childJobId: id, queue: queueName, childStatus: earlier.status }, 'child job found from an earlier try of this attempt');
    }
    killPoint(step.id, 'after-enqueue');
    return settle(earlier.status === 'missing' ? { status: 'pending', state: 'waiting' } : earlier, wait, input, childQueue);
  }

  const parsed = childWaitStateSchema.safeParse(input.state);
  if (!parsed.success) return { type: 'failed', error: `journaled wait state of step ${step.id} is unreadable: ${parsed.error.message}`, retryable: false };
  return settle(await readChildOutcome(job, childQueue, parsed.data.childJobId), parsed.data, input, childQueue);
}

/** Adds the child job; returns a failed result when the data is refused, undefined when added. */
async function enqueue(jobName: ChildJobName, input: StepRunInput<ChildJobStep>, id: string): Promise<StepResult | undefined> {
  const { step, job, producer } = input;
  let value: JsonValue;
  try {
    value = await input.evaluate(step.input, 'input');
  } catch (err) {
    return { type: 'failed', error: err instanceof Error ? err.message : String(err), retryable: false };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { type: 'failed', error: `steps.${step.id}.input: must evaluate to a JSON object (${jobName} data without userId), got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, retryable: false };
  }
  if ('userId' in value) {
    return { type: 'failed', error: `steps.${step.id}.input: must not set userId (the run's userId is used)`, retryable: false };
  }
  const data = { ...value, userId: input.userId } as unknown as JobDataInput<typeof jobName>;
  try {
    await producer.add(jobName, data, {
      jobId: id,
      parent: { id: job.id as string, queue: job.queueQualifiedName },
      ignoreDependencyOnFailure: true,
    });
  } catch (err) {
    if (err instanceof JobValidationError) return { type: 'failed', error: `steps.${step.id}.input: ${err.message}`, retryable: false };
    throw err;
  }
  return undefined;
}

/** The step's result for the child's outcome. */
async function settle(outcome: ChildOutcome, wait: ChildWaitState, input: StepRunInput<ChildJobStep>, childQueue: Queue): Promise<StepResult> {
  const childJob = { queue: wait.queue, jobId: wait.childJobId };
  switch (outcome.status) {
    case 'completed':
      return { type: 'completed', output: outcome.result };
    case 'failed':
      return { type: 'failed', error: `${wait.queue} job ${wait.childJobId} failed: ${outcome.reason}`, retryable: true };
    case 'missing':
      // Past the deadline a timer may have removed it for us (see the file's note on timeouts).
      if (wait.deadline !== undefined && input.now >= wait.deadline) {
        return { type: 'failed', error: `${wait.queue} job ${wait.childJobId} did not finish within ${input.step.timeoutMs} ms (removed before it started)`, retryable: true };
      }
      return { type: 'failed', error: `${wait.queue} job ${wait.childJobId} is gone (removed before it finished)`, retryable: true };
    case 'pending':
      if (wait.deadline !== undefined && input.now >= wait.deadline) {
        const child = outcome.job ?? (await childQueue.getJob(wait.childJobId));
        const how = child ? await detachChild(child, outcome.state) : 'removed';
        input.log.warn({ childJobId: wait.childJobId, queue: wait.queue, how }, 'child job timed out');
        return {
          type: 'failed',
          error: `${wait.queue} job ${wait.childJobId} did not finish within ${input.step.timeoutMs} ms (${how === 'removed' ? 'removed before it started' : 'still running, no longer awaited'})`,
          retryable: how === 'removed',
        };
      }
      return { type: 'suspend', waitFor: 'children', state: wait, childJob, ...(wait.deadline === undefined ? {} : { until: wait.deadline }) };
  }
}
