import { describeRedis, ioRedisOptions, RedisConfigError, redisSettingsFromEnv } from './redis-env';

describe('redisSettingsFromEnv', () => {
  it('defaults to 127.0.0.1:6379 db 0 without TLS', () => {
    expect(redisSettingsFromEnv({})).toEqual({ host: '127.0.0.1', port: 6379, db: 0, tls: false, username: undefined, password: undefined });
  });

  it('reads REDIS_URL with credentials, db and rediss:// TLS', () => {
    const s = redisSettingsFromEnv({ REDIS_URL: 'rediss://worker:p%40ss@cache.internal:6380/2' });
    expect(s).toEqual({ host: 'cache.internal', port: 6380, db: 2, tls: true, username: 'worker', password: 'p@ss' });
    expect(describeRedis(s)).toBe('rediss://cache.internal:6380/2');
    expect(ioRedisOptions(s, 'producer').tls).toEqual({});
  });

  it('reads the split variables', () => {
    expect(
      redisSettingsFromEnv({ REDIS_HOST: 'r', REDIS_PORT: '7000', REDIS_USERNAME: 'u', REDIS_PASSWORD: 'p', REDIS_TLS: 'true' }),
    ).toEqual({ host: 'r', port: 7000, username: 'u', password: 'p', tls: true, db: 0 });
  });

  it.each([
    [{ REDIS_URL: 'http://x' }, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ REDIS_PORT: 'abc' }, /REDIS_PORT: /],
    [{ REDIS_PORT: '70000' }, /REDIS_PORT: /],
    [{ REDIS_TLS: 'maybe' }, /REDIS_TLS: /],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => redisSettingsFromEnv(env)).toThrow(RedisConfigError);
    expect(() => redisSettingsFromEnv(env)).toThrow(message);
  });

  it('gives workers blocking-safe options and producers fail-fast ones (BullMQ guide)', () => {
    const s = redisSettingsFromEnv({});
    expect(ioRedisOptions(s, 'worker').maxRetriesPerRequest).toBeNull();
    expect(ioRedisOptions(s, 'producer').enableOfflineQueue).toBe(false);
  });
});
