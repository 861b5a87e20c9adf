import { Job, Queue, RedisQueueBackend, Worker } from 'bullmq';
import { ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { QueueBackendUnsupportedError } from './queue-backend-unsupported-error';
import { QueueDepthReplyError } from './queue-depth-reply-error';
import { QUEUE_DEPTH_COMMAND } from './queue-depth-script';
import { readQueueDepth } from './read-queue-depth';

describe('readQueueDepth', () => {
  const url = testRedisUrl();
  const connection = ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'producer');
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  const queueOf = (name: string) => {
    const prefix = uniquePrefix('read-depth');
    cleanups.push(() => deletePrefix(url, prefix));
    const queue = new Queue(name, { connection, prefix });
    cleanups.push(() => queue.close());
    return { queue, prefix };
  };

  it('refuses a queue without a Redis backend with QueueBackendUnsupportedError', async () => {
    const relayLike = { name: 'seo', backend: {} } as unknown as Queue;
    const error = await readQueueDepth(relayLike).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueBackendUnsupportedError);
    expect(error).toMatchObject({ name: 'QueueBackendUnsupportedError', queueName: 'seo' });
  });

  it('rejects a reply that is not the script\'s nine numbers with QueueDepthReplyError', async () => {
    const { queue } = queueOf('email');
    await queue.add('w', {});
    expect((await readQueueDepth(queue)).jobs.waiting).toBe(1);
    // Another script under the command's name on the same client, as a clash of names would give.
    const client = await (queue.backend as RedisQueueBackend).client;
    client.defineCommand(QUEUE_DEPTH_COMMAND, { numberOfKeys: 1, lua: 'return {1, 2}', readOnly: true });
    const error = await readQueueDepth(queue).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDepthReplyError);
    expect(error).toMatchObject({ queueName: 'email', reply: [1, 2] });
  });

  it('counts a delayed job past its due time, which no worker promoted, as waiting since it came due', async () => {
    const { queue } = queueOf('workflow');
    // Added an hour ago with a 10-minute delay: due 50 minutes ago, and no worker to move it to wait.
    const addedAt = Date.now() - 3_600_000;
    const dueAt = addedAt + 600_000;
    const overdue = await queue.add('timed-wait', {}, { delay: 600_000, timestamp: addedAt });
    expect(await overdue.getState()).toBe('delayed');
    // Another one due in an hour: not waiting yet, and not the earliest.
    await queue.add('later', {}, { delay: 3_600_000 });

    const reading = await readQueueDepth(queue, dueAt + 3_000_000);
    expect(reading.jobs).toMatchObject({ waiting: 0, prioritized: 0, delayed: 2 });
    expect(reading.oldestWaitingSinceMs).toBe(dueAt);
    // Read before it came due: nothing waits.
    expect((await readQueueDepth(queue, dueAt - 1)).oldestWaitingSinceMs).toBeUndefined();
    expect((await readQueueDepth(queue, dueAt)).oldestWaitingSinceMs).toBe(dueAt);
    // A job in wait that has waited longer still counts first.
    await queue.add('old', {}, { timestamp: addedAt - 1 });
    expect((await readQueueDepth(queue, dueAt + 3_000_000)).oldestWaitingSinceMs).toBe(addedAt - 1);
  });

  it('counts a job back in wait after a failed attempt from that attempt\'s start (processedOn), as documented', async () => {
    const { queue, prefix } = queueOf('voice');
    const addedAt = Date.now() - 60_000;
    await queue.add('call', {}, { attempts: 2, timestamp: addedAt });
    // No processor: the attempt is taken and failed by hand, through BullMQ's own scripts.
    const worker = new Worker('voice', null, { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'worker'), prefix });
    cleanups.push(() => worker.close());
    const token = 'read-depth-test';
    const taken = (await worker.getNextJob(token)) as Job;
    expect(taken.id).toBeDefined();
    await taken.moveToFailed(new Error('line busy'), token);

    const job = (await Job.fromId(queue, taken.id as string)) as Job;
    expect(await job.getState()).toBe('waiting');
    const reading = await readQueueDepth(queue);
    expect(reading.jobs.waiting).toBe(1);
    expect(job.processedOn).toBeGreaterThan(addedAt);
    expect(reading.oldestWaitingSinceMs).toBe(job.processedOn);
  });
});
