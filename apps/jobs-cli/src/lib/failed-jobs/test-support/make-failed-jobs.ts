import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

/** One job to create and fail: its name and the message its (only) attempt fails with. */
export interface FailedJobSpec {
  readonly name: string;
  readonly reason: string;
}

/**
 * Test fixture: adds `specs` to `<prefix>:<queueName>` (addBulk, 1 000 per call) and lets a real
 * BullMQ Worker fail each one with its `reason` on its only attempt, so they are genuine failed
 * jobs (failed set scored by finishedOn, failedReason, attemptsMade = 1) a worker can run later.
 * Resolves with the ids in the order of `specs` once all of them are failed.
 */
export async function makeFailedJobs(redisUrl: string, prefix: string, queueName: string, specs: readonly FailedJobSpec[]): Promise<string[]> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix });
  const worker = new Worker(
    queueName,
    async (job) => {
      throw new Error(String(job.data.reason));
    },
    { connection: workerConnection, prefix, concurrency: 200, autorun: false },
  );
  try {
    const before = await queue.getFailedCount();
    const ids: string[] = [];
    for (let i = 0; i < specs.length; i += 1000) {
      const added = await queue.addBulk(specs.slice(i, i + 1000).map((spec) => ({ name: spec.name, data: { reason: spec.reason }, opts: { attempts: 1 } })));
      ids.push(...added.map((job) => String(job.id)));
    }
    const failedAll = new Promise<void>((resolve) => {
      let failed = 0;
      worker.on('failed', () => {
        failed += 1;
        if (failed === specs.length) resolve();
      });
    });
    void worker.run();
    await failedAll;
    // The 'failed' event fires after the job is in the failed set; check it anyway.
    const after = await queue.getFailedCount();
    if (after - before !== specs.length) throw new Error(`expected ${specs.length} more failed jobs, found ${after - before}`);
    return ids;
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  }
}
