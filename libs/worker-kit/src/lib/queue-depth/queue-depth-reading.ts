/** BullMQ's job states as `bullmq_queue_jobs` labels them (`waiting` is the `wait` list alone). */
export const QUEUE_DEPTH_STATES = ['waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed', 'completed'] as const;

/** One of {@link QUEUE_DEPTH_STATES}. */
export type QueueDepthState = (typeof QUEUE_DEPTH_STATES)[number];

/** What one read of a queue found (see `readQueueDepth`). */
export interface QueueDepthReading {
  /** Jobs per state. */
  readonly jobs: Readonly<Record<QueueDepthState, number>>;
  readonly paused: boolean;
  /**
   * When the job that has waited longest (in `wait` or `prioritized`, or in `delayed` past its due
   * time, which only a worker would have moved on) started waiting, ms since the epoch on the
   * producers' clocks; `undefined` when nothing waits.
   */
  readonly oldestWaitingSinceMs: number | undefined;
  /** Workers connected to the queue; `undefined` when Redis refuses `CLIENT LIST`. */
  readonly workers: number | undefined;
}
