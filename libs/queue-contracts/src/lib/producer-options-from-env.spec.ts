import { Job } from 'bullmq';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { JobProducer } from './job-producer';
import { producerOptionsFromEnv } from './producer-options-from-env';
import { RedisConfigError } from './redis-env';
import { addSeoAuditJob, closeQueues } from './producers';
import { Redis } from 'ioredis';

describe('producerOptionsFromEnv', () => {
  it('takes BULLMQ_PREFIX as the workers do, default none (BullMQ\'s "bull")', () => {
    expect(producerOptionsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6380', BULLMQ_PREFIX: ' tenant-a ' })).toMatchObject({ prefix: 'tenant-a' });
    expect(producerOptionsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6380' }).prefix).toBeUndefined();
    expect(producerOptionsFromEnv({ BULLMQ_PREFIX: '' }).prefix).toBeUndefined();
    expect(() => producerOptionsFromEnv({ BULLMQ_PREFIX: 'a:b' })).toThrow(RedisConfigError);
    expect(() => producerOptionsFromEnv({ BULLMQ_PREFIX: 'a:b' })).toThrow(/BULLMQ_PREFIX/);
  });

  it("leaves trace propagation at the producer's default, off only with OTEL_SDK_DISABLED=true", () => {
    const redisEnv = { REDIS_URL: 'redis://127.0.0.1:6380' };
    expect(producerOptionsFromEnv(redisEnv).telemetry).toBeUndefined();
    expect(producerOptionsFromEnv({ ...redisEnv, OTEL_SDK_DISABLED: 'false' }).telemetry).toBeUndefined();
    expect(producerOptionsFromEnv({ ...redisEnv, OTEL_SDK_DISABLED: ' TRUE ' }).telemetry).toBe('off');
    expect(producerOptionsFromEnv({ ...redisEnv, BULLMQ_PREFIX: 'p', OTEL_SDK_DISABLED: 'true' })).toMatchObject({ prefix: 'p', telemetry: 'off' });
  });

  it('puts jobs under the prefix a worker with the same environment reads', async () => {
    const url = testRedisUrl();
    const prefix = uniquePrefix('env-prefix');
    const producer = new JobProducer(producerOptionsFromEnv({ REDIS_URL: url, BULLMQ_PREFIX: prefix }));
    try {
      const job = await producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com/' });
      const stored = await Job.fromId(producer.queue('seo'), job.id as string);
      expect(stored?.queueQualifiedName).toBe(`${prefix}:seo`);
    } finally {
      await producer.close();
      await deletePrefix(url, prefix);
    }
  });

  it('is what the module-level producers (addSeoAuditJob …) use when not configured', async () => {
    const url = testRedisUrl();
    const prefix = uniquePrefix('env-default');
    const saved = { REDIS_URL: process.env['REDIS_URL'], BULLMQ_PREFIX: process.env['BULLMQ_PREFIX'] };
    process.env['REDIS_URL'] = url;
    process.env['BULLMQ_PREFIX'] = prefix;
    const redis = new Redis(url);
    try {
      await closeQueues();
      const job = await addSeoAuditJob({ userId: 'u', websiteUrl: 'https://example.com/' });
      expect(await redis.exists(`${prefix}:seo:${job.id}`)).toBe(1);
    } finally {
      await closeQueues();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await redis.quit();
      await deletePrefix(url, prefix);
    }
  });
});
