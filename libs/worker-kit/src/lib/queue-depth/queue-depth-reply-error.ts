/**
 * Redis answered the queue depth script (`QUEUE_DEPTH_LUA`) with something other than its nine
 * numbers: another script defined under the same command name, or a proxy that rewrote the reply.
 * The reply is kept (as Redis gave it) for the log; it holds counts only, no job data.
 */
export class QueueDepthReplyError extends Error {
  override readonly name = 'QueueDepthReplyError';
  constructor(
    /** The queue's name. */
    readonly queueName: string,
    /** The reply as received. */
    readonly reply: unknown,
  ) {
    super(`unexpected queue depth reply for ${queueName}: ${JSON.stringify(reply)}`);
  }
}
