import { Job, type JobState, type Queue } from 'bullmq';
import type { JsonValue } from '@jobs/queue-contracts';

/**
 * Where a step's child job stands:
 * - `completed`: its result (`job.returnvalue`, JSON);
 * - `failed`: it failed for good (its own attempts spent), `reason` its `failedReason`;
 * - `pending`: it exists and has not finished (`state`: waiting, delayed, active, prioritized …;
 *   `job`: the child, when it was read);
 * - `missing`: no such job and no trace of it in the parent (never added, or removed: a cancelled
 *   run's unstarted child, or trimmed).
 */
export type ChildOutcome =
  | { status: 'completed'; result: JsonValue }
  | { status: 'failed'; reason: string }
  | { status: 'pending'; state: JobState | 'unknown'; job?: Job }
  | { status: 'missing' };

/**
 * Reads the outcome of child `childJobId` on `childQueue` of the run's job `parent`.
 *
 * The parent's own records come first: BullMQ writes a child's result into the parent's
 * `processed` hash when it completes and, under `ignoreDependencyOnFailure`, its failed reason
 * into the parent's `failed` hash; both outlive the child job itself (which `removeOnComplete`
 * may trim). Only when neither holds it is the child job read.
 * @throws whatever ioredis throws when Redis is unreachable.
 */
export async function readChildOutcome(parent: Job, childQueue: Queue, childJobId: string): Promise<ChildOutcome> {
  const childKey = `${childQueue.qualifiedName}:${childJobId}`;
  const processed = (await parent.getChildrenValues()) as Record<string, JsonValue>;
  if (Object.prototype.hasOwnProperty.call(processed, childKey)) return { status: 'completed', result: processed[childKey] ?? null };
  const failures = await parent.getIgnoredChildrenFailures();
  if (Object.prototype.hasOwnProperty.call(failures, childKey)) return { status: 'failed', reason: String(failures[childKey]) };

  const child = await Job.fromId(childQueue, childJobId);
  if (!child) return { status: 'missing' };
  const state = await child.getState();
  if (state === 'completed') return { status: 'completed', result: (child.returnvalue ?? null) as JsonValue };
  if (state === 'failed') return { status: 'failed', reason: child.failedReason || 'failed without a reason' };
  return { status: 'pending', state, job: child };
}
