/** Where the crash test may stop the workflow worker: after a child job was enqueued, or after a journal write. */
export type KillPhase = 'after-enqueue' | 'after-journal';

/** The environment variable that arms {@link killPoint}: `<stepId>:<phase>`, e.g. `draft:after-enqueue`. */
export const KILL_AT_ENV = 'WORKFLOW_TEST_KILL_AT';

/**
 * Test-only fault hook: SIGKILLs this process when `WORKFLOW_TEST_KILL_AT` equals
 * `<stepId>:<phase>`, so the crash test (`kill-at-every-boundary.process.spec.ts`) can stop the
 * worker at an exact step boundary; a no-op otherwise (one string compare).
 * - `after-enqueue`: called by the child-job steps once the child job is in Redis, before the
 *   engine journals the step as waiting.
 * - `after-journal`: called by the engine after it journaled a step's outcome (completed or
 *   failed for good), before the next step starts.
 *
 * Reads `env` (default `process.env`) on every call: unlike configuration, this is not the app's
 * input but the test's trap, and it must cost nothing when unset. SIGKILL, not an exception: the
 * point is a crash nothing in the process can observe or clean up after.
 */
export function killPoint(stepId: string, phase: KillPhase, env: NodeJS.ProcessEnv = process.env): void {
  const armed = env[KILL_AT_ENV];
  if (armed === undefined || armed !== `${stepId}:${phase}`) return;
  process.kill(process.pid, 'SIGKILL');
}
