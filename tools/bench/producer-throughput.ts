import { randomBytes } from 'node:crypto';
import { JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { startThrowawayRedis } from '@jobs/test-support';
import { openSeoQueue, SEO_JOB_OPTIONS, SEO_NOOP_DATA } from './seo-noop-job';

/** How P2 adds: one job per call (`add`, awaited one after another) or `addBulk` of 1000. */
export type ProducerMode = 'add' | 'addBulk';

/**
 * P2, one run: a fresh private redis-server, `jobs` SEO_AUDIT jobs added by the typed
 * `JobProducer` (kit) or a raw BullMQ `Queue` with the same data and options (raw); returns
 * jobs/s. The queue is opened and one job added before the clock starts, so connecting is not
 * counted on either side.
 */
export async function measureProducerThroughput(side: 'kit' | 'raw', mode: ProducerMode, jobs: number): Promise<number> {
  const redis = await startThrowawayRedis();
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: redis.url }), prefix });
  const queue = openSeoQueue(redis.url, prefix);
  const batch = 1000;
  try {
    const addOne = side === 'kit' ? () => producer.add('SEO_AUDIT', SEO_NOOP_DATA) : () => queue.add('SEO_AUDIT', SEO_NOOP_DATA, SEO_JOB_OPTIONS);
    const addMany = (n: number) =>
      side === 'kit'
        ? producer.addBulk('SEO_AUDIT', Array.from({ length: n }, () => ({ data: SEO_NOOP_DATA })))
        : queue.addBulk(Array.from({ length: n }, () => ({ name: 'SEO_AUDIT', data: SEO_NOOP_DATA, opts: SEO_JOB_OPTIONS })));
    await addOne();
    const started = process.hrtime.bigint();
    if (mode === 'add') for (let i = 0; i < jobs; i += 1) await addOne();
    else for (let done = 0; done < jobs; done += batch) await addMany(Math.min(batch, jobs - done));
    return jobs / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await producer.close();
    await queue.close();
    await redis.stop();
  }
}
