import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { RetryLaterError } from '@jobs/worker-kit';
import { GoogleAdsScopedThrottle } from './google-ads-scoped-throttle';

describe('GoogleAdsScopedThrottle (real Redis)', () => {
  const url = testRedisUrl();
  let prefix: string;
  const connections: Redis[] = [];
  beforeEach(() => {
    prefix = uniquePrefix('google-scoped-throttle');
  });
  afterEach(async () => {
    for (const c of connections.splice(0)) c.disconnect();
    await deletePrefix(url, prefix);
  });

  function throttle(): GoogleAdsScopedThrottle {
    const redis = new Redis(url);
    connections.push(redis);
    return new GoogleAdsScopedThrottle({ redis, key: `${prefix}:rate-limit:google-ads`, requestsPerSecond: 8, maxInProcessWaitMs: 5_000 });
  }

  it('an ACCOUNT refusal pauses and slows that customer only, in every process', async () => {
    const a = throttle();
    const b = throttle();
    await expect(a.refused('1234567890', 'ACCOUNT', 120_000)).resolves.toEqual({ scope: 'customer', requestsPerSecond: 4, lowered: true });
    await expect(b.project.state()).resolves.toEqual({ requestsPerSecond: 8, pauseMs: 0 });
    expect((await b.customer('1234567890').state()).requestsPerSecond).toBe(4);
    const failure = await b.acquire('1234567890', new AbortController().signal).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryLaterError);
    await expect(b.acquire('9876543210', new AbortController().signal)).resolves.toEqual({ grantedAt: expect.any(Number) });
  });

  it('a DEVELOPER refusal, or one naming no scope, pauses and slows every customer', async () => {
    const a = throttle();
    await expect(a.refused('1234567890', 'DEVELOPER', 0)).resolves.toEqual({ scope: 'project', requestsPerSecond: 4, lowered: true });
    expect((await a.customer('1234567890').state()).requestsPerSecond).toBe(8);
    const b = throttle();
    await b.refused('1234567890', null, 120_000);
    const failure = await b.acquire('9876543210', new AbortController().signal).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryLaterError);
  });
});
