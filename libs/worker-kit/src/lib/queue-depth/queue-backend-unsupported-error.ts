/**
 * `readQueueDepth` was given a queue whose backend is not BullMQ's `RedisQueueBackend` (a relay
 * backend, say): queue depth is read with a Lua script on the queue's own Redis connection, which
 * only that backend has. A programming error, not a transient one.
 */
export class QueueBackendUnsupportedError extends Error {
  override readonly name = 'QueueBackendUnsupportedError';
  constructor(
    /** The queue's name. */
    readonly queueName: string,
  ) {
    super(`queue ${queueName} has no Redis backend: its depth cannot be read`);
  }
}
