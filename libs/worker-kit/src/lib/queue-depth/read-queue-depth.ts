import { RedisQueueBackend, type Queue } from 'bullmq';
import { QueueBackendUnsupportedError } from './queue-backend-unsupported-error';
import { QueueDepthReplyError } from './queue-depth-reply-error';
import { QUEUE_DEPTH_COMMAND, QUEUE_DEPTH_LUA } from './queue-depth-script';
import type { QueueDepthReading } from './queue-depth-reading';

/** Jobs at the taking end of `wait` looked at for the oldest (see `QUEUE_DEPTH_LUA`). */
const WAIT_TAIL_LENGTH = 16;
/** Priority classes of `prioritized` looked at for the oldest. */
const MAX_PRIORITY_CLASSES = 32;

type RedisClient = Awaited<RedisQueueBackend['client']>;
const defined = new WeakSet<RedisClient>();

/**
 * Reads a queue's job counts, paused flag and oldest waiting job with one Lua call
 * (`QUEUE_DEPTH_LUA`), and its connected workers with BullMQ's `getWorkers` (`CLIENT LIST`),
 * both at once on the queue's own connection.
 * @param queue - the queue to read, on its own Redis connection.
 * @param nowMs - now, ms since the epoch: a delayed job due before it counts as waiting since its
 *   due time (no worker promoted it). Default `Date.now()`.
 * @throws whatever the connection throws; {@link QueueBackendUnsupportedError} when the queue has
 *   no Redis backend; {@link QueueDepthReplyError} when the script's reply is not nine numbers.
 */
export async function readQueueDepth(queue: Queue, nowMs: number = Date.now()): Promise<QueueDepthReading> {
  const backend: unknown = queue.backend;
  if (!(backend instanceof RedisQueueBackend)) throw new QueueBackendUnsupportedError(queue.name);
  const client = await backend.client;
  if (!defined.has(client)) {
    // Through BullMQ's client interface, so it works whichever Redis client the queue was given.
    client.defineCommand(QUEUE_DEPTH_COMMAND, { numberOfKeys: 1, lua: QUEUE_DEPTH_LUA, readOnly: true });
    defined.add(client);
  }
  const [reply, workers] = await Promise.all([
    client.runCommand(QUEUE_DEPTH_COMMAND, [queue.keys[''], WAIT_TAIL_LENGTH, MAX_PRIORITY_CLASSES, Math.floor(nowMs)]) as Promise<unknown>,
    countWorkers(queue),
  ]);
  const n = parseReply(reply, queue.name);
  return {
    jobs: {
      waiting: n[0],
      prioritized: n[1],
      'waiting-children': n[2],
      active: n[3],
      delayed: n[4],
      failed: n[5],
      completed: n[6],
    },
    paused: n[7] === 1,
    oldestWaitingSinceMs: n[8] >= 0 ? n[8] : undefined,
    workers,
  };
}

function parseReply(reply: unknown, queueName: string): number[] {
  const n = Array.isArray(reply) ? reply.map(Number) : [];
  if (n.length !== 9 || n.some((v) => !Number.isFinite(v))) {
    throw new QueueDepthReplyError(queueName, reply);
  }
  return n;
}

/**
 * `undefined` when Redis refuses `CLIENT LIST`: BullMQ then answers one placeholder entry
 * without `rawname` (managed Redis that disables the command), or throws (ACL `-@admin`).
 */
async function countWorkers(queue: Queue): Promise<number | undefined> {
  try {
    const workers = await queue.getWorkers();
    return workers.every((w) => 'rawname' in w) ? workers.length : undefined;
  } catch {
    return undefined;
  }
}
