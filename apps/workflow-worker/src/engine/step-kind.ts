import type { Job } from 'bullmq';
import type { JobProducer, JsonObject, JsonValue, WorkflowStep } from '@jobs/queue-contracts';
import type { Logger } from '@jobs/worker-kit';

/**
 * What a step's expressions see (JSONata's input): the run's `context`, the outputs of the steps
 * completed so far by step id (a step run twice in a loop: its latest output), and the run's ids.
 */
export interface StepScope {
  context: JsonObject;
  steps: Record<string, JsonValue>;
  run: { runId: string; workflowId: string; triggerId: string; userId: string };
}

/** Everything one attempt of one step may touch, in one object. */
export interface StepRunInput<S extends WorkflowStep = WorkflowStep> {
  step: S;
  runId: string;
  userId: string;
  scope: StepScope;
  /** 1-based attempt of this step (a resume after a suspension keeps the attempt). */
  attempt: number;
  /**
   * 1-based visit of this step in the run: 2 when a loop comes back to it a second time. Journaled
   * with the step's entry before it runs, so a re-run after a crash sees the same number.
   */
  visit: number;
  /** What this step returned as `state` when it last suspended; undefined on first entry. */
  state: JsonValue | undefined;
  /** The run's BullMQ job (to add flow children with parent = this job). */
  job: Job;
  /** The run job's lock token. */
  token: string;
  /** Typed producers on the worker's Redis. */
  producer: JobProducer;
  /**
   * Evaluates a JSONata expression over `scope`; the result is plain JSON (`undefined` → null).
   * @throws StepExpressionError naming the step and `field` when it fails.
   */
  evaluate(expression: string, field?: string): Promise<JsonValue>;
  /** Bound to runId and stepId. */
  log: Logger;
  /** Aborted when the step's `timeoutMs` runs out or the worker shuts down. */
  signal: AbortSignal;
  /** ms epoch, read once when the attempt started. */
  now: number;
}

/**
 * How one attempt of a step ended:
 * - `completed`: `output` is journaled; `next` overrides the step's default next; `context`
 *   replaces the run's context (the `set` step).
 * - `failed`: retried with the step's backoff (`retryAfterMs` overrides it) while `retryable` and
 *   attempts remain; then `onError` or the run fails.
 * - `suspend`: the engine journals `state` (and `childJob`, `until` as `waitUntil`), then suspends
 *   the run's job: until `until` (time, event), or until its children finished (children). On
 *   resume `run()` is called again with that state and decides whether the step is done.
 */
export type StepResult =
  | { type: 'completed'; output?: JsonValue; next?: string; context?: JsonObject }
  | { type: 'failed'; error: string; retryable: boolean; retryAfterMs?: number }
  | { type: 'suspend'; waitFor: 'time' | 'event' | 'children'; until?: number; state: JsonValue; childJob?: { queue: string; jobId: string } };

/** One step kind: a small module that runs one attempt of steps of its kind. */
export interface StepKind<S extends WorkflowStep = WorkflowStep> {
  readonly kind: S['kind'];
  run(input: StepRunInput<S>): Promise<StepResult>;
}

/** The step of kind `K`. */
export type StepOfKind<K extends WorkflowStep['kind']> = Extract<WorkflowStep, { kind: K }>;
