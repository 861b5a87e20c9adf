import type { Queue } from 'bullmq';

/**
 * Job counts of one queue. `paused` is the queue's own state (BullMQ 6 has no `paused` job
 * state: jobs of a paused queue stay `waiting`).
 */
export interface QueueStats {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
  paused: boolean;
}

/** Reads {@link QueueStats} from a BullMQ queue (three Redis round trips). */
export async function readQueueStats(queue: Queue): Promise<QueueStats> {
  const [counts, paused] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'completed', 'failed', 'delayed'),
    queue.isPaused(),
  ]);
  return {
    // BullMQ keeps prioritized jobs apart from `wait`; to a user both are waiting to run.
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
    active: counts.active ?? 0,
    completed: counts.completed ?? 0,
    failed: counts.failed ?? 0,
    delayed: counts.delayed ?? 0,
    paused,
  };
}
