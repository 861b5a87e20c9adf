import type { Job, JobState } from 'bullmq';

/** What {@link detachChild} did: `removed` (it had not started), `detached` (it runs on, unlinked). */
export type DetachResult = 'removed' | 'detached';

/** States in which a child has not started: removing it costs no side effect. */
const NOT_STARTED: ReadonlySet<JobState | 'unknown'> = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Lets go of a child job the step no longer waits for (its `timeoutMs` ran out): a child that
 * has not started is removed (BullMQ drops it from the parent's dependencies too); a started one
 * cannot be stopped from here, so it is unlinked from the parent (`removeChildDependency`) and
 * left to finish: its result is then no longer the run's, and the run's job is never held in
 * `waiting-children` by it. A started child already unlinked (no `parentKey`) is left as it is.
 * @throws whatever ioredis throws when Redis is unreachable.
 */
export async function detachChild(child: Job, state: JobState | 'unknown'): Promise<DetachResult> {
  if (NOT_STARTED.has(state)) {
    try {
      await child.remove();
      return 'removed';
    } catch {
      // Taken by a worker in the meantime (a locked job cannot be removed): unlink it instead.
    }
  }
  // Unlinked already (by the step's deadline timer, WORKFLOW_STEP_DEADLINE): BullMQ cleared its
  // parentKey, and removeChildDependency would throw "Missing key for parent job".
  if (!child.parentKey) return 'detached';
  await child.removeChildDependency();
  return 'detached';
}
