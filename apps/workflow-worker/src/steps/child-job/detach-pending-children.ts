import { Job } from 'bullmq';
import { ALL_QUEUE_NAMES, type JobProducer, type QueueName } from '@jobs/queue-contracts';
import { detachChild, type DetachResult } from './detach-child';

/** One child a run let go of: its queue, id, and whether it was removed or left running unlinked. */
export interface DetachedChild {
  readonly queue: QueueName;
  readonly jobId: string;
  readonly how: DetachResult;
}

/** Children read at most: a run has one pending child at a time (its current step's). */
const PAGE = 100;

/**
 * Lets go of every child job the run's job `parent` still has pending, so the run's job can
 * finish: BullMQ refuses to complete a job with pending dependencies ("has pending
 * dependencies", moveToFinished -4), which happens when a run ends (cancelled, failed by a guard)
 * while a child it enqueued is unfinished, e.g. a worker killed after the enqueue and a cancel
 * before the restart. Children not started are removed; started ones are unlinked and run on
 * (see {@link detachChild}). Child queues are opened through `producer`; a key of a queue the
 * contracts do not name is left alone.
 * @returns what was let go of, in the order BullMQ listed it.
 * @throws whatever ioredis throws when Redis is unreachable.
 */
export async function detachPendingChildren(parent: Job, producer: JobProducer): Promise<DetachedChild[]> {
  const detached: DetachedChild[] = [];
  const keyPrefix = `${parent.prefix}:`;
  const { unprocessed = [] } = await parent.getDependencies({ unprocessed: { cursor: 0, count: PAGE } });
  for (const key of unprocessed) {
    // A child key is `<prefix>:<queue>:<id>`; ids never hold ':' (the producer refuses it).
    const rest = key.startsWith(keyPrefix) ? key.slice(keyPrefix.length) : key;
    const split = rest.indexOf(':');
    const queue = rest.slice(0, split) as QueueName;
    if (split <= 0 || !ALL_QUEUE_NAMES.includes(queue)) continue;
    const jobId = rest.slice(split + 1);
    const child = await Job.fromId(producer.queue(queue), jobId);
    // Gone: BullMQ dropped the dependency with the job.
    if (!child) continue;
    detached.push({ queue, jobId, how: await detachChild(child, await child.getState()) });
  }
  return detached;
}
