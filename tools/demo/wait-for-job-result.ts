import { Job, type QueueEvents } from 'bullmq';
import type { JobProducer, QueueName } from '@jobs/queue-contracts';

/**
 * Waits for a job's end and returns its return value (or rejects with its failure reason), like
 * BullMQ's `job.waitUntilFinished(events, ttl)`, but with every Redis error reaching the caller.
 * BullMQ 6.7 checks "finished already?" inside an `async` Promise executor, so when the
 * connection closes during that check (Ctrl-C while a job runs) the error escapes as an
 * unhandled rejection and kills the process instead of rejecting the wait.
 * @param producer - the producer that added `job` (its queue handle reads the job's state).
 * @param timeoutMs - reject after this many ms; default: wait for ever.
 * @throws Error with the job's failedReason; the Redis error when the state cannot be read.
 */
export function waitForJobResult(producer: JobProducer, job: Job, events: QueueEvents, timeoutMs?: number): Promise<unknown> {
  const id = job.id as string;
  // The per-job event names (`completed:<id>`) are not in QueueEvents' typed listener map.
  const emitter = events as unknown as NodeJS.EventEmitter;
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      emitter.off(`completed:${id}`, onCompleted);
      emitter.off(`failed:${id}`, onFailed);
      outcome();
    };
    const onCompleted = ({ returnvalue }: { returnvalue: unknown }) => finish(() => resolve(returnvalue));
    const onFailed = ({ failedReason }: { failedReason: string }) => finish(() => reject(new Error(failedReason)));
    emitter.on(`completed:${id}`, onCompleted);
    emitter.on(`failed:${id}`, onFailed);
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => finish(() => reject(new Error(`job ${job.name} (${id}) did not finish within ${timeoutMs} ms`))), timeoutMs);
    }
    // The job may have ended before the listeners were on: look once QueueEvents listens.
    // The state is read before the job's fields: a job that ends in between is then seen by the
    // events, never as "completed" with its return value not yet written.
    const queue = producer.queue(job.queueName as QueueName);
    events
      .waitUntilReady()
      .then(async () => {
        const state = await queue.getJobState(id);
        if (state !== 'completed' && state !== 'failed') return;
        const stored = await Job.fromId(queue, id);
        if (!stored) return;
        if (state === 'completed') finish(() => resolve(stored.returnvalue));
        else finish(() => reject(new Error(stored.failedReason)));
      })
      .catch((err: unknown) => finish(() => reject(err)));
  });
}
