import { Redis } from 'ioredis';
import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { dashboardKeyPrefix } from './dashboard-key-prefix';
import { SessionsValidAfter } from './sessions-valid-after';

describe('SessionsValidAfter (real Redis)', () => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('dash-sessions');
  const keyPrefix = dashboardKeyPrefix({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });
  const redis = new Redis(url);
  afterAll(async () => {
    await deletePrefix(url, prefix);
    redis.disconnect();
  });

  it('a logout on one replica reaches another within its cache time, and the marker expires with the session TTL', async () => {
    let now = 1_000_000;
    const a = new SessionsValidAfter({ redis, keyPrefix, markerTtlMs: 60_000, now: () => now });
    const b = new SessionsValidAfter({ redis, keyPrefix, markerTtlMs: 60_000, now: () => now });
    expect(await b.validAfter('ops')).toBe(0);
    await a.logOutEverywhere('ops', 999_000);
    expect(await a.validAfter('ops')).toBe(999_000);
    // b read the marker before the logout and trusts that for 5 s.
    now += 4999;
    expect(await b.validAfter('ops')).toBe(0);
    now += 1;
    expect(await b.validAfter('ops')).toBe(999_000);
    expect(await b.validAfter('other')).toBe(0);
    const ttl = await redis.pttl(a.key('ops'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // On a standalone Redis the marker stays where it always was.
    expect(a.key('ops')).toBe(`${prefix}:dashboard:sessions-valid-after:ops`);
  });

  it('throws when Redis does not answer and nothing is cached (the caller refuses the request)', async () => {
    const down = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    down.on('error', () => undefined);
    try {
      await expect(new SessionsValidAfter({ redis: down, keyPrefix, markerTtlMs: 1000 }).validAfter('ops')).rejects.toThrow();
    } finally {
      down.disconnect();
    }
  });
});
