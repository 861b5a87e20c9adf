import type { JsonValue, WorkflowRunStep } from '@jobs/queue-contracts';

const field = (value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined => {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, JsonValue>)[key as string];
  }
  return at;
};

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/**
 * One line of the demo's run timeline for a step entry of a run record: its id, status and, in
 * brackets, what matters of it for its kind (the enriched company, the branch taken, the draft's
 * id, the call's end, what a wait waits for, the error).
 */
export function describeRunStep(step: WorkflowRunStep): string {
  const base = `${step.stepId} ${step.status}`;
  const detail = stepDetail(step);
  return detail ? `${base} (${detail})` : base;
}

function stepDetail(step: WorkflowRunStep): string | undefined {
  if (step.status === 'failed') return step.error;
  const out = step.output;
  if (step.status === 'waiting') {
    if (step.childJob) return `job ${step.childJob.jobId} on ${step.childJob.queue}; no worker slot held`;
    const until = step.waitUntil !== undefined ? `until ${clock(step.waitUntil)} UTC` : 'until woken';
    return `${step.kind === 'wait_for_event' ? 'for its event, at most ' : ''}${until}; no worker slot held`;
  }
  if (step.status !== 'completed') return undefined;
  switch (step.kind) {
    case 'enrich_lead': {
      const fields = field(out, 'outcomes', 0, 'fields');
      const company = field(fields, 'company');
      return company === undefined ? 'not found' : `${String(field(fields, 'fullName'))}, ${String(field(fields, 'jobTitle'))} at ${String(company)}`;
    }
    case 'branch':
      return `${field(out, 'result') === true ? 'true' : 'false'} -> ${step.nextStepId ?? 'end'}`;
    case 'draft_email':
      return `draft ${String(field(out, 'draftId'))} saved, not sent`;
    case 'wait_for_event':
      return field(out, 'received') === true ? `event received -> ${step.nextStepId ?? 'end'}` : `timed out -> ${step.nextStepId ?? 'end'}`;
    case 'place_call':
      return `call ${String(field(out, 'status'))}, ${String(field(out, 'endedReason'))}`;
    case 'end':
      return out === undefined ? undefined : JSON.stringify(out);
    default:
      return undefined;
  }
}
