import { Redis } from 'ioredis';
import { freePort, startThrowawayRedis, waitFor, type ThrowawayRedis } from '@jobs/test-support';
import { JobProducer } from './job-producer';
import { QueueUnavailableError } from './errors';
import { redisSettingsFromEnv } from './redis-env';

// Every way of not reaching Redis must reach the caller as QueueUnavailableError (a caller maps
// it to 503), with the original error as `cause` so nothing is lost.

const seo = { userId: 'u', websiteUrl: 'https://example.com' } as const;

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('JobProducer when Redis stops after it connected', () => {
  let redis: ThrowawayRedis;
  let producer: JobProducer;

  beforeEach(async () => {
    redis = await startThrowawayRedis();
    producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: redis.url }) });
    // Open every queue while Redis is up, as a long-running web app would have.
    await producer.add('SEO_AUDIT', seo);
    await producer.getAllQueueStats();
    await redis.stop();
  });
  afterEach(async () => {
    await producer.close();
    await redis.stop();
  });

  it.each([
    ['add', () => producer.add('SEO_AUDIT', seo)],
    ['addBulk', () => producer.addBulk('SEO_AUDIT', [{ data: seo }, { data: seo }])],
    ['add with a jobId', () => producer.add('SEO_AUDIT', seo, { jobId: 'audit-1' })],
    ['getQueueStats', () => producer.getQueueStats('seo')],
    ['getAllQueueStats', () => producer.getAllQueueStats()],
  ])('%s rejects with QueueUnavailableError carrying the connection error', async (_, call) => {
    const err = await rejectionOf(call());
    expect(err).toBeInstanceOf(QueueUnavailableError);
    expect(err.message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable \(/);
    expect(err.cause).toBeInstanceOf(Error);
    // ioredis's own words for a connection that is gone (not a timeout of ours).
    expect((err.cause as Error).message).toMatch(/Stream isn't writeable|Connection is closed|ECONNREFUSED/);
  });
});

describe('JobProducer when nothing listens on the Redis port', () => {
  it('reports the refused connection as QueueUnavailableError with the ECONNREFUSED cause, on every call', async () => {
    const port = await freePort();
    // A timeout far longer than the test's: a rejection can only come from the refusal itself.
    const producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_PORT: String(port) }), producerTimeoutMs: 120_000 });
    try {
      for (const call of [() => producer.add('SEO_AUDIT', seo), () => producer.getQueueStats('seo'), () => producer.getAllQueueStats()]) {
        const err = await rejectionOf(call());
        expect(err).toBeInstanceOf(QueueUnavailableError);
        expect((err.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
        expect(err.message).toContain(`127.0.0.1:${port}`);
      }
    } finally {
      await producer.close();
    }
  }, 20_000);
});

describe('JobProducer when Redis takes the command but does not answer in time', () => {
  it('says the job may still have been added (it was), so a blind retry is not taken for safe', async () => {
    const redis = await startThrowawayRedis();
    const producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: redis.url }), producerTimeoutMs: 500 });
    const probe = new Redis(redis.url);
    try {
      await producer.add('SEO_AUDIT', seo); // connected
      const pid = Number(/process_id:(\d+)/.exec(await probe.info('server'))?.[1]);
      // A paused server: the connection stays open, the command is read later and runs.
      process.kill(pid, 'SIGSTOP');
      let err: Error;
      try {
        err = await rejectionOf(producer.add('SEO_AUDIT', seo));
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      expect(err).toBeInstanceOf(QueueUnavailableError);
      expect(err.message).toMatch(/did not answer within 500 ms \(add\).*may still have been added: retry with a jobId/);
      // And it was: the waiting list holds both jobs once the server runs again.
      await waitFor('the late add to land', async () => (await producer.getQueueStats('seo')).waiting === 2, { timeoutMs: 20_000 });
    } finally {
      probe.disconnect();
      await producer.close();
      await redis.stop();
    }
  });
});
