import type { JobResult, JsonValue, WorkflowDefinition, WorkflowRunRecord, WorkflowStep } from '@jobs/queue-contracts';

/** The `WORKFLOW_EXECUTION` job result. */
export type WorkflowExecutionResult = JobResult<'WORKFLOW_EXECUTION'>;

/** One step entry of a run record. */
export type RunStepEntry = WorkflowRunRecord['steps'][number];

/** Statuses of a run that has ended. */
export const ENDED_RUN_STATUSES: ReadonlySet<WorkflowRunRecord['status']> = new Set(['completed', 'failed', 'cancelled']);

/** The step after `step` when it names none: the next one in the array, none after the last. */
export function defaultNextStepId(definition: WorkflowDefinition, step: WorkflowStep): string | undefined {
  if (step.next !== undefined) return step.next;
  const index = definition.steps.findIndex((s) => s.id === step.id);
  return definition.steps[index + 1]?.id;
}

/**
 * True when `entry` waits for its next attempt after a failed one (status waiting, an error,
 * no step state), as opposed to a step that suspended itself.
 */
export function isRetryBackoff(entry: RunStepEntry): boolean {
  return entry.status === 'waiting' && entry.error !== undefined && entry.state === undefined;
}

/** Outputs of the completed steps by step id; a step run more than once: its latest output. */
export function stepOutputs(record: WorkflowRunRecord): Record<string, JsonValue> {
  const outputs: Record<string, JsonValue> = {};
  for (const entry of record.steps) {
    if (entry.status === 'completed') outputs[entry.stepId] = entry.output ?? null;
  }
  return outputs;
}

/**
 * Ends the run in `record` (in place): its status, end time, output or error; a step still
 * running or waiting is marked `cancelled` (a cancelled run) or `failed` (a guard stopped it).
 */
export function endRun(
  record: WorkflowRunRecord,
  status: 'completed' | 'failed' | 'cancelled',
  at: number,
  outcome: { output?: JsonValue; error?: string } = {},
): void {
  const last = record.steps[record.steps.length - 1];
  if (last && (last.status === 'running' || last.status === 'waiting')) {
    last.status = status === 'cancelled' ? 'cancelled' : 'failed';
    last.endedAt = at;
    if (status === 'failed' && outcome.error !== undefined && last.error === undefined) last.error = outcome.error;
  }
  record.status = status;
  record.updatedAt = at;
  record.endedAt = at;
  delete record.currentStepId;
  if (outcome.output !== undefined) record.output = outcome.output;
  if (outcome.error !== undefined) record.error = outcome.error;
}

/** The job result of an ended run: its id, status, steps (status, error, output) and output. */
export function toExecutionResult(record: WorkflowRunRecord): WorkflowExecutionResult {
  const status = record.status === 'completed' || record.status === 'failed' || record.status === 'cancelled' ? record.status : 'failed';
  return {
    runId: record.runId,
    status,
    steps: record.steps.map((entry) => ({
      stepId: entry.stepId,
      // running/waiting only appear in a run that has not ended; endRun marks them.
      status: entry.status === 'running' || entry.status === 'waiting' ? 'cancelled' : entry.status,
      ...(entry.error !== undefined ? { error: entry.error } : {}),
      ...(entry.output !== undefined ? { output: entry.output } : {}),
    })),
    ...(record.output !== undefined ? { output: record.output } : {}),
  };
}
