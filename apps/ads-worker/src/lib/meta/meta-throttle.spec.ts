import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { RateLimiter, RetryLaterError } from '@jobs/worker-kit';
import { MetaThrottle } from './meta-throttle';

const ACT = 'act_1234567890';

describe('MetaThrottle.beforeCall (real Redis)', () => {
  const redis = new Redis(testRedisUrl());
  const other = new Redis(testRedisUrl());
  const prefix = uniquePrefix('meta-throttle');
  let n = 0;

  afterAll(async () => {
    await deletePrefix(testRedisUrl(), prefix);
    redis.disconnect();
    other.disconnect();
  });

  /** A throttle on its own key prefix, and a limiter on the same account key in "another process" (its own connection). */
  const setup = (maxInProcessWaitMs: number) => {
    const keyPrefix = `${prefix}-${++n}`;
    const throttle = new MetaThrottle({ redis, keyPrefix, platformAccountId: ACT, accountCallsPerSecond: 100, appCallsPerSecond: 100, slowDownAtPct: 75, pauseAtPct: 95, maxInProcessWaitMs });
    const elsewhere = new RateLimiter({ redis: other, key: `${keyPrefix}:rate-limit:meta:account:${ACT}`, perSecond: 100 });
    return { throttle, elsewhere };
  };

  it('waits in process for a shared pause within maxInProcessWaitMs', async () => {
    const { throttle, elsewhere } = setup(5000);
    await elsewhere.pauseFor(200);
    await expect(throttle.beforeCall(new AbortController().signal)).resolves.toBeUndefined();
  });

  it('gives the job back when the pause is longer than maxInProcessWaitMs from the start', async () => {
    const { throttle, elsewhere } = setup(1000);
    await elsewhere.pauseFor(30_000);
    const failure = await throttle.beforeCall(new AbortController().signal).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).delayMs).toBeGreaterThan(1000);
  });

  it('gives the job back when another process lengthens the pause while this one waits (never waits past the ceiling)', async () => {
    const { throttle, elsewhere } = setup(2000);
    await elsewhere.pauseFor(1500);
    let lengthened: Promise<number> | undefined;
    // The note comes after the pause was read and found short enough to wait for: lengthen it then.
    const note = () => {
      lengthened = elsewhere.pauseFor(120_000);
    };
    const failure = await throttle.beforeCall(new AbortController().signal, note).catch((e: unknown) => e);
    expect(lengthened).toBeDefined();
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as Error).message).toMatch(/held for longer than 2 s/);
    expect((failure as RetryLaterError).delayMs).toBeGreaterThan(2000);
  }, 30_000);

  it('rejects with the abort reason, not RetryLaterError, when the job is cancelled while waiting', async () => {
    const { throttle, elsewhere } = setup(60_000);
    await elsewhere.pauseFor(30_000);
    const controller = new AbortController();
    const pending = throttle.beforeCall(controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
    await expect(pending).rejects.toThrow('cancelled by test');
  });
});
