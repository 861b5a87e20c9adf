import type { Redis } from 'ioredis';

/** Redis commands one {@link queueProgress} poll sends (the bench subtracts its polls from the per-job count). */
export const COMMANDS_PER_POLL = 6;

/** How far a queue got: jobs not yet completed, and jobs failed. */
export interface QueueProgress {
  /** Waiting, paused, prioritized, delayed or active. */
  readonly remaining: number;
  readonly failed: number;
}

/**
 * Reads {@link QueueProgress} straight from BullMQ's keys of the queue at `queueKey`
 * (`<prefix>:<queue>`, hash tag included on a cluster) in one pipeline of
 * {@link COMMANDS_PER_POLL} O(1) commands, so a poll costs Redis as little as possible.
 * `admin` must be a client of the server holding the queue (on a cluster: its slot's master).
 * @throws the first command error (e.g. a connection lost).
 */
export async function queueProgress(admin: Redis, queueKey: string): Promise<QueueProgress> {
  const replies = await admin
    .pipeline()
    .llen(`${queueKey}:wait`)
    .llen(`${queueKey}:paused`)
    .zcard(`${queueKey}:prioritized`)
    .zcard(`${queueKey}:delayed`)
    .llen(`${queueKey}:active`)
    .zcard(`${queueKey}:failed`)
    .exec();
  const n = (replies ?? []).map(([err, value]) => {
    if (err) throw err;
    return Number(value);
  });
  return { remaining: n[0] + n[1] + n[2] + n[3] + n[4], failed: n[5] };
}
