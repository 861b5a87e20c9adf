import type { Job } from 'bullmq';
import { jsonByteLength, stepRetryPolicy, type JsonValue, type WorkflowDefinition, type WorkflowRunRecord, type WorkflowStep } from '@jobs/queue-contracts';
import type { Logger } from '@jobs/worker-kit';
import { killPoint } from '../crash/kill-point';
import { detachPendingChildren } from '../steps/child-job/detach-pending-children';
import { cancelStepDeadline, scheduleStepDeadline } from '../steps/child-job/step-deadline';
import { evaluateExpression } from './evaluate';
import type { RunJournal } from './journal';
import { defaultNextStepId, endRun, isRetryBackoff, stepOutputs, toExecutionResult, type RunStepEntry, type WorkflowExecutionResult } from './run-record';
import { runStepAttempt } from './run-step-attempt';
import type { RunLimits, WorkflowEngineDeps } from './run-workflow';
import type { StepResult } from './step-kind';
import { DEFAULT_MAX_RUN_RECORD_BYTES, stepOutcomeProblem } from './step-outcome-bounds';
import { promoteIfDelayed, suspendForChildren, suspendUntil } from './suspend-run-job';

/**
 * Kinds whose attempt the engine bounds by the step's `timeoutMs`. Waits and job steps bound
 * their own waiting (`wait_for_event.timeoutMs` is the event's timeout, a job step's the child's),
 * and `http_request` passes its `timeoutMs` to the request (one timer, one error).
 */
const ENGINE_TIMED_KINDS: ReadonlySet<string> = new Set(['set', 'branch', 'end']);

/** Kinds that finish inside one attempt without calling out: no progress update of their own. */
const INSTANT_KINDS: ReadonlySet<string> = new Set(['set', 'branch', 'end']);

/** Kinds that add a child job (as a flow child of the run's job). */
const CHILD_JOB_KINDS: ReadonlySet<string> = new Set(['enrich_lead', 'draft_email', 'place_call']);

/**
 * The loop of one job attempt over one run's record. Writes are batched at step boundaries: a
 * step's outcome and the next step's `running` entry go to Redis in one fenced write, before the
 * next step runs (so every outcome is journaled before the next step starts), and that write
 * also reports the cancel flag.
 */
export class RunLoop {
  private readonly stepsById: Map<string, WorkflowStep>;
  private readonly outputs: Record<string, JsonValue>;
  private readonly limits: RunLimits;
  /** The record has changes not yet journaled. */
  private unsaved = false;
  /** Step whose outcome the next write journals (the crash test's `after-journal` point). */
  private outcomeOf: string | undefined;
  /** UTF-8 bytes of the record as last read or journaled (the record-size bound's base). */
  private recordBytes: number;

  constructor(
    private readonly deps: WorkflowEngineDeps,
    private readonly job: Job,
    private readonly token: string,
    private readonly journal: RunJournal,
    private readonly record: WorkflowRunRecord,
    private readonly definition: WorkflowDefinition,
    private readonly log: Logger,
    private readonly signal: AbortSignal,
    private readonly now: () => number,
    /** The cancel flag as last read (at open, then by every write). */
    private cancelRequested: boolean,
  ) {
    this.stepsById = new Map(definition.steps.map((s) => [s.id, s]));
    this.outputs = stepOutputs(record);
    this.recordBytes = jsonByteLength(record);
    this.limits = {
      maxExecutedSteps: definition.limits?.maxExecutedSteps ?? deps.limits.maxExecutedSteps,
      maxRunAgeMs: definition.limits?.maxRunAgeMs ?? deps.limits.maxRunAgeMs,
    };
  }

  async run(): Promise<WorkflowExecutionResult> {
    const { record } = this;
    for (;;) {
      if (this.signal.aborted) throw this.signal.reason;
      if (this.cancelRequested) return this.end('cancelled', {});
      const at = this.now();
      if (at - record.createdAt > this.limits.maxRunAgeMs) {
        return this.end('failed', { error: `run exceeded limits.maxRunAgeMs (${this.limits.maxRunAgeMs} ms)` });
      }
      const stepId = record.currentStepId;
      if (stepId === undefined) return this.end('completed', {});
      const step = this.stepsById.get(stepId);
      if (!step) return this.end('failed', { error: `step "${stepId}" is not in version ${record.definitionVersion} of the definition` });

      const last = record.steps[record.steps.length - 1];
      let entry: RunStepEntry;
      if (last && last.stepId === stepId && (last.status === 'running' || last.status === 'waiting')) {
        entry = last;
        if (isRetryBackoff(entry)) {
          if ((entry.waitUntil ?? 0) > at) {
            await this.suspend(entry, step, { type: 'suspend', waitFor: 'time', until: entry.waitUntil as number, state: null }, true);
            continue; // only when the suspend found the run cancelled
          }
          entry.status = 'running';
          entry.attempts += 1;
          delete entry.error;
          delete entry.waitUntil;
          this.unsaved = true;
        }
        // A 'running' entry is an attempt a crash interrupted: it runs again with the same
        // attempt number, so a child job it may have enqueued keeps its id. A 'waiting' one
        // resumes with its state.
      } else {
        if (record.executedSteps >= this.limits.maxExecutedSteps) {
          return this.end('failed', { error: `run reached limits.maxExecutedSteps (${this.limits.maxExecutedSteps}) before step "${stepId}"` });
        }
        entry = { stepId, kind: step.kind, status: 'running', attempts: 1, startedAt: at };
        record.steps.push(entry);
        record.executedSteps += 1;
        this.unsaved = true;
      }
      if (this.unsaved) {
        this.touch(at, 'running');
        // Progress names the step a run is on where anyone can see it: a step that calls out or
        // waits. set/branch/end finish within this attempt in microseconds; a second Lua call
        // each (BullMQ's updateProgress) would double a pure step's cost for a value nobody
        // could read before the next step replaced it.
        await (INSTANT_KINDS.has(step.kind)
          ? this.save()
          : Promise.all([this.save(), this.job.updateProgress({ stepId, executedSteps: record.executedSteps })]));
        if (this.cancelRequested) continue;
      }

      const result = await this.attempt(step, entry, at);
      const done = await this.apply(step, entry, result);
      if (done) return done;
    }
  }

  private async attempt(step: WorkflowStep, entry: RunStepEntry, at: number): Promise<StepResult> {
    const kind = this.deps.stepKinds.get(step.kind);
    if (!kind) return { type: 'failed', error: `no step kind "${step.kind}" in this worker`, retryable: false };
    const { record } = this;
    const scope = {
      context: record.context,
      steps: this.outputs,
      run: { runId: record.runId, workflowId: record.workflowId, triggerId: record.triggerId, userId: record.userId },
    };
    const timeoutMs = ENGINE_TIMED_KINDS.has(step.kind) ? step.timeoutMs : undefined;
    return runStepAttempt(
      kind,
      {
        step,
        runId: record.runId,
        userId: record.userId,
        scope,
        attempt: entry.attempts,
        visit: record.steps.reduce((n, s) => (s.stepId === step.id ? n + 1 : n), 0),
        state: entry.state,
        job: this.job,
        token: this.token,
        producer: this.deps.producer,
        evaluate: (expression, field = 'expression') => evaluateExpression(expression, scope, step.id, field),
        log: this.log.child({ stepId: step.id }),
        now: at,
      },
      timeoutMs,
      this.signal,
    );
  }

  /**
   * Records a step's outcome (journaled by the next write: the next step's start, a wait, or
   * the run's end); returns the result when the run ended.
   */
  private async apply(step: WorkflowStep, entry: RunStepEntry, outcome: StepResult): Promise<WorkflowExecutionResult | undefined> {
    const { record } = this;
    const at = this.now();
    if (outcome.type === 'suspend') {
      await this.suspend(entry, step, outcome, false);
      return undefined; // children already done, or the run was cancelled: the loop decides
    }
    // The step's wait for its child is over: its deadline timer has nothing left to guard.
    if (entry.childJob && CHILD_JOB_KINDS.has(step.kind)) await cancelStepDeadline(this.deps.producer, entry.childJob.jobId);
    let result = outcome;
    if (result.type !== 'failed') {
      // Nothing oversized is journaled: the step fails instead (not retryable: it would produce the same).
      const problem = stepOutcomeProblem({
        stepId: step.id,
        isEnd: step.kind === 'end',
        isJobStep: CHILD_JOB_KINDS.has(step.kind),
        output: result.output,
        context: result.context,
        previousContext: record.context,
        recordBytes: this.recordBytes,
        maxRecordBytes: this.deps.maxRunRecordBytes ?? DEFAULT_MAX_RUN_RECORD_BYTES,
      });
      if (problem) result = { type: 'failed', error: problem, retryable: false };
    }
    if (result.type === 'failed') {
      const retry = stepRetryPolicy(step);
      if (result.retryable && entry.attempts < retry.attempts) {
        const delayMs = result.retryAfterMs ?? retry.backoffMs(entry.attempts);
        entry.status = 'waiting';
        entry.error = result.error;
        delete entry.state;
        entry.waitUntil = at + delayMs;
        this.log.warn({ stepId: step.id, attempt: entry.attempts, delayMs, reason: result.error }, 'workflow step failed: retrying after backoff');
        await this.suspend(entry, step, { type: 'suspend', waitFor: 'time', until: entry.waitUntil, state: null }, true);
        return undefined; // only when the suspend found the run cancelled
      }
      entry.status = 'failed';
      entry.error = result.error;
      entry.endedAt = at;
      this.log.warn({ stepId: step.id, attempts: entry.attempts, reason: result.error }, 'workflow step failed');
      if (step.onError === undefined) return this.end('failed', { error: `step "${step.id}" failed: ${result.error}` });
      this.moveTo(entry, step.onError, at);
      return undefined;
    }
    entry.status = 'completed';
    entry.endedAt = at;
    delete entry.waitUntil;
    if (result.output !== undefined) entry.output = result.output;
    this.outputs[step.id] = result.output ?? null;
    if (result.context) record.context = result.context;
    if (step.kind === 'end') {
      const status = step.status ?? 'completed';
      return this.end(status, { output: result.output, ...(status === 'failed' ? { error: `ended by step "${step.id}" with status failed` } : {}) });
    }
    const next = result.next ?? defaultNextStepId(this.definition, step);
    if (next === undefined) return this.end('completed', {});
    this.moveTo(entry, next, at);
    return undefined;
  }

  private moveTo(entry: RunStepEntry, next: string, at: number): void {
    entry.nextStepId = next;
    this.record.currentStepId = next;
    this.record.updatedAt = at;
    this.unsaved = true;
    this.outcomeOf = entry.stepId;
  }

  /** Journals the record (fenced); learns the cancel flag; passes the crash test's point. */
  private async save(ttlMs?: number): Promise<void> {
    const { cancelRequested, bytes } = await this.journal.write(this.record, ttlMs);
    this.cancelRequested = cancelRequested;
    this.recordBytes = bytes;
    this.unsaved = false;
    if (this.outcomeOf !== undefined) {
      killPoint(this.outcomeOf, 'after-journal');
      this.outcomeOf = undefined;
    }
  }

  /**
   * Journals the wait, then suspends the job (this attempt ends with DelayedError or
   * WaitingChildrenError). Returns only when a children wait found its children all done, or
   * the run's cancel flag is set (the loop then ends the run).
   */
  private async suspend(entry: RunStepEntry, step: WorkflowStep, result: Extract<StepResult, { type: 'suspend' }>, backoff: boolean): Promise<void> {
    const { record } = this;
    if (!backoff) {
      entry.status = 'waiting';
      entry.state = result.state;
      if (result.childJob) entry.childJob = result.childJob;
      if (result.until !== undefined) entry.waitUntil = result.until;
      else delete entry.waitUntil;
    }
    this.touch(this.now(), 'waiting');
    await this.save();
    if (this.cancelRequested) return;
    if (result.waitFor === 'children') {
      if (result.childJob) {
        // BullMQ's waiting-children has no timed wake-up: the step's deadline is a timer job, due
        // no later than the run's age limit (with no step deadline, at it), so a run past it is
        // let go of its child, resumes and fails on the age check (end() detaches what is left).
        const ageLimitAt = record.createdAt + this.limits.maxRunAgeMs + 1;
        await scheduleStepDeadline(this.deps.producer, {
          runId: record.runId,
          runJobId: this.job.id as string,
          stepId: step.id,
          childQueue: result.childJob.queue,
          childJobId: result.childJob.jobId,
          atMs: Math.min(result.until ?? ageLimitAt, ageLimitAt),
        });
      }
      await suspendForChildren(this.job, this.token);
      // No child pending: done, or removed by a cancel that came after our last read of the
      // flag — read it again, or the step would fail the "gone" child instead of the run ending
      // cancelled.
      this.cancelRequested ||= (await this.journal.wakeReasons()).cancelRequested;
      return;
    }
    if (result.until === undefined) throw new Error(`step "${step.id}" suspended for ${result.waitFor} without a time`);
    // Wake up no later than the run's age limit, so a run past it fails on time.
    const until = Math.min(result.until, record.createdAt + this.limits.maxRunAgeMs + 1);
    this.log.debug({ stepId: step.id, waitFor: result.waitFor, until }, 'workflow run suspended');
    const event = result.waitFor === 'event' && step.kind === 'wait_for_event' ? step.event : undefined;
    await suspendUntil(this.job, this.token, until, async () => {
      // A signal or cancel that came between our last read and the move found the job not
      // delayed yet and could not promote it: look again now that it is.
      const wake = await this.journal.wakeReasons(event);
      if (wake.cancelRequested || wake.eventSignalled) await promoteIfDelayed(this.job);
    });
  }

  private touch(at: number, status: 'running' | 'waiting'): void {
    this.record.updatedAt = at;
    this.record.status = status;
  }

  private async end(status: 'completed' | 'failed' | 'cancelled', outcome: { output?: JsonValue; error?: string }): Promise<WorkflowExecutionResult> {
    const last = this.record.steps[this.record.steps.length - 1];
    if (last && (last.status === 'running' || last.status === 'waiting') && CHILD_JOB_KINDS.has(last.kind)) {
      // Ended mid-step (cancel, a guard) with a child maybe pending: BullMQ would refuse to
      // complete the run's job while it has pending dependencies.
      const detached = await detachPendingChildren(this.job, this.deps.producer);
      if (detached.length > 0) this.log.info({ stepId: last.stepId, detached }, 'workflow run ended: let go of its pending child jobs');
      // Its deadline timer would otherwise wait in the queue until due (up to the age limit).
      if (last.childJob) await cancelStepDeadline(this.deps.producer, last.childJob.jobId);
    }
    endRun(this.record, status, this.now(), outcome);
    this.outcomeOf ??= last?.stepId;
    await this.save(this.deps.recordTtlMs);
    this.log.info({ status, executedSteps: this.record.executedSteps, ...(outcome.error ? { reason: outcome.error } : {}) }, 'workflow run ended');
    return toExecutionResult(this.record);
  }
}
