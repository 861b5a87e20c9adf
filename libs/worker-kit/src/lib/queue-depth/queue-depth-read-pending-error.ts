/**
 * A scrape found the previous read of a queue still unanswered after the scrape timeout, so it
 * sent no new one (an unreachable Redis would pile commands up). `QueueDepthMetrics` reports the
 * queue down (`bullmq_queue_stats_up` 0) for that scrape; the error never leaves it.
 */
export class QueueDepthReadPendingError extends Error {
  override readonly name = 'QueueDepthReadPendingError';
  constructor(
    /** The queue's name. */
    readonly queueName: string,
  ) {
    super(`the previous read of ${queueName} has not finished`);
  }
}
