import { ConfigError } from '@jobs/worker-kit';
import { loadConfig, SEO_WORKER_DEFAULTS } from './config';
import { DEFAULT_CRAWL_OPTIONS } from './lib/crawl-options';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.crawl).toEqual(DEFAULT_CRAWL_OPTIONS);
    expect(config.worker).toMatchObject({
      concurrency: SEO_WORKER_DEFAULTS.concurrency,
      limiter: { max: SEO_WORKER_DEFAULTS.maxJobsPerSecond, durationMs: 1000 },
      health: { host: '0.0.0.0', port: 9105 },
      shutdownTimeoutMs: 30_000,
      prefix: 'bull',
      logLevel: 'info',
      redis: { host: '127.0.0.1', port: 6379, tls: false, db: 0 },
    });
    expect(Object.isFrozen(config) && Object.isFrozen(config.crawl) && Object.isFrozen(config.worker)).toBe(true);
  });

  it('applies overrides', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://:secret@redis.example:6380',
      WORKER_CONCURRENCY: '7',
      WORKER_MAX_JOBS_PER_SECOND: '3',
      SEO_MAX_PAGES: '2000',
      SEO_ALLOW_PRIVATE_NETWORKS: 'true',
      SEO_CHECK_EXTERNAL_LINKS: '1',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    expect(config.worker.concurrency).toBe(7);
    expect(config.worker.limiter?.max).toBe(3);
    expect(config.worker.redis).toMatchObject({ host: 'redis.example', port: 6380, tls: true, password: 'secret' });
    expect(config.crawl).toMatchObject({ maxPages: 2000, allowPrivateNetworks: true, checkExternalLinks: true });
    expect(config.worker.shutdownTimeoutMs).toBe(5000);
  });

  it('names every bad variable at once, and takes empty values as unset', () => {
    expect(() => loadConfig({ REDIS_PORT: '99999', WORKER_MAX_JOBS_PER_SECOND: '-1', LOG_LEVEL: 'verbose', SEO_MAX_PAGES: 'x' })).toThrow(
      /REDIS_PORT: .*WORKER_MAX_JOBS_PER_SECOND: .*LOG_LEVEL: .*SEO_MAX_PAGES: /,
    );
    expect(loadConfig({ REDIS_URL: '', WORKER_CONCURRENCY: '', SEO_MAX_PAGES: ' ' }).worker.concurrency).toBe(2);
    expect(() => loadConfig({ REDIS_URL: 'redis://u:p%zz@h:1' })).toThrow(/REDIS_URL: the password has a malformed %-escape/);
  });

  it.each([
    [{ WORKER_CONCURRENCY: 'lots' }, /WORKER_CONCURRENCY: /],
    [{ WORKER_CONCURRENCY: '0' }, 'seo-worker: invalid WORKER_CONCURRENCY: must be ≥ 1'],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: /],
    [{ HEALTH_PORT: '-1' }, /HEALTH_PORT: /],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ SEO_MAX_PAGES: '0' }, /SEO_MAX_PAGES: /],
    [{ SEO_ALLOW_PRIVATE_NETWORKS: 'sure' }, /SEO_ALLOW_PRIVATE_NETWORKS: /],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig with an empty environment (seo)', () => {
  it('needs no variable at all', () => {
    expect(loadConfig({}).worker.health.port).toBe(9105);
  });

  it('states bad values in one line, each variable once, and an empty one as unset', () => {
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'abc', SEO_MAX_PAGES: '1.5', LOG_LEVEL: 'loud', SEO_USER_AGENT: ' ' })).toThrow(
      'seo-worker: invalid WORKER_CONCURRENCY: must be a number; invalid LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent; invalid SEO_MAX_PAGES: must be a whole number',
    );
  });
});
