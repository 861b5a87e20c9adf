import type { WorkflowStep } from './definition-schema';

/**
 * What the engine uses where a definition says nothing (DESIGN: durations in ms):
 * - `maxExecutedSteps` 500 and `maxRunAgeMs` 30 days: a definition's `limits`.
 * - `pureStepAttempts` 1 and `jobStepAttempts` 3 (`enrich_lead`, `draft_email`, `place_call`,
 *   `http_request`): a step's `retry.attempts`.
 * - `backoffMs` 1000, doubled each attempt, capped at `maxBackoffMs` (1 h): `retry.backoffMs`.
 * - `httpTimeoutMs` 10 000 and `httpMaxResponseBytes` 1 MiB: `http_request`'s.
 * - `recordTtlMs` 30 days: how long a run's record is kept after the run ended.
 */
export const WORKFLOW_DEFAULTS = Object.freeze({
  maxExecutedSteps: 500,
  maxRunAgeMs: 30 * 24 * 60 * 60 * 1000,
  pureStepAttempts: 1,
  jobStepAttempts: 3,
  backoffMs: 1000,
  maxBackoffMs: 60 * 60 * 1000,
  httpTimeoutMs: 10_000,
  httpMaxResponseBytes: 1024 * 1024,
  recordTtlMs: 30 * 24 * 60 * 60 * 1000,
});

/** Step kinds that call out (a child job or an HTTP request): retried 3 times by default. */
const CALLING_KINDS: ReadonlySet<WorkflowStep['kind']> = new Set(['enrich_lead', 'draft_email', 'place_call', 'http_request']);

/**
 * A step's retry policy with the defaults filled in: `attempts` (1 for pure steps, 3 for
 * job and HTTP steps) and `backoffMs(attempt)`, the wait before attempt `attempt + 1` after
 * attempt `attempt` (1-based) failed: `backoffMs · 2^(attempt-1)`, at most 1 h.
 */
export function stepRetryPolicy(step: WorkflowStep): { attempts: number; backoffMs(attempt: number): number } {
  const attempts = step.retry?.attempts ?? (CALLING_KINDS.has(step.kind) ? WORKFLOW_DEFAULTS.jobStepAttempts : WORKFLOW_DEFAULTS.pureStepAttempts);
  const base = step.retry?.backoffMs ?? WORKFLOW_DEFAULTS.backoffMs;
  return {
    attempts,
    backoffMs: (attempt: number) => Math.min(base * 2 ** Math.max(0, attempt - 1), WORKFLOW_DEFAULTS.maxBackoffMs),
  };
}
