import type { WorkflowStep } from '@jobs/queue-contracts';

/** Step kinds that run a job on another queue or a request to the outside: 3 attempts by default. */
const SIDE_EFFECT_KINDS: ReadonlySet<string> = new Set(['enrich_lead', 'draft_email', 'place_call', 'http_request']);

/** Longest backoff between two attempts of a step, ms (1 h). */
export const MAX_STEP_BACKOFF_MS = 3_600_000;

/** Default first backoff of a step, ms; it doubles each attempt. */
export const DEFAULT_STEP_BACKOFF_MS = 1000;

/** Attempts a step gets: `retry.attempts`, default 3 for job and http steps, 1 for the others. */
export function maxAttemptsOf(step: WorkflowStep): number {
  return step.retry?.attempts ?? (SIDE_EFFECT_KINDS.has(step.kind) ? 3 : 1);
}

/**
 * Wait before attempt `failedAttempt + 1`, ms: `retry.backoffMs` (default 1000) doubled per
 * attempt already failed beyond the first, at most {@link MAX_STEP_BACKOFF_MS}.
 */
export function backoffMsOf(step: WorkflowStep, failedAttempt: number): number {
  const base = step.retry?.backoffMs ?? DEFAULT_STEP_BACKOFF_MS;
  return Math.min(base * 2 ** Math.max(0, failedAttempt - 1), MAX_STEP_BACKOFF_MS);
}

/** Kinds whose attempt the engine bounds by the step's `timeoutMs` (waits and job steps bound their own waiting). */
export const ENGINE_TIMED_KINDS: ReadonlySet<string> = new Set(['set', 'branch', 'end', 'http_request']);
