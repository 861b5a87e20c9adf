import { QueueEvents, Worker } from 'bullmq';
import { JobProducer, ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { waitForJobResult } from './wait-for-job-result';

const job = { userId: 'u', websiteUrl: 'https://example.com/' };

describe('waitForJobResult', () => {
  const url = testRedisUrl();
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  let prefix: string;
  let producer: JobProducer;
  let events: QueueEvents;
  beforeEach(async () => {
    prefix = uniquePrefix('wait');
    producer = new JobProducer({ redis, prefix });
    events = new QueueEvents('seo', { connection: ioRedisOptions(redis, 'worker'), prefix });
    await events.waitUntilReady();
  });
  afterEach(async () => {
    await events.close();
    await producer.close();
    await deletePrefix(url, prefix);
  });

  it('returns the return value, rejects with the failure reason, and sees jobs that ended before it listened', async () => {
    const worker = new Worker(
      'seo',
      async (j) => {
        if (j.data.userId === 'bad') throw new Error('no such site');
        return { audited: j.id };
      },
      { connection: ioRedisOptions(redis, 'worker'), prefix },
    );
    try {
      const ok = await producer.add('SEO_AUDIT', job, { attempts: 1 });
      expect(await waitForJobResult(producer, ok, events, 30_000)).toEqual({ audited: ok.id });
      const bad = await producer.add('SEO_AUDIT', { ...job, userId: 'bad' }, { attempts: 1 });
      await expect(waitForJobResult(producer, bad, events, 30_000)).rejects.toThrow('no such site');
      // Both have ended: asked again, the answers come from the stored jobs, not from events.
      expect(await waitForJobResult(producer, ok, events, 30_000)).toEqual({ audited: ok.id });
      await expect(waitForJobResult(producer, bad, events, 30_000)).rejects.toThrow('no such site');
    } finally {
      await worker.close();
    }
  });

  it('rejects (never an unhandled rejection) when its connections close while it looks, as on Ctrl-C', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const added = await producer.add('SEO_AUDIT', job);
      // The demo's clean-up order: the events connection, then the producer's.
      const waiting = waitForJobResult(producer, added, events);
      await Promise.all([events.close(), producer.close()]);
      await expect(waiting).rejects.toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
