import { readFileSync } from 'node:fs';
import { makeTestCertificates, type TestCertificates } from '@jobs/test-support';
import { describeRedis, ioRedisOptions, RedisConfigError, redisSettingsFromEnv } from './redis-env';

describe('redisSettingsFromEnv', () => {
  it('defaults to 127.0.0.1:6379 db 0 without TLS', () => {
    expect(redisSettingsFromEnv({})).toEqual({ host: '127.0.0.1', port: 6379, db: 0, tls: false, username: undefined, password: undefined });
  });

  it('reads REDIS_URL with credentials, db and rediss:// TLS', () => {
    const s = redisSettingsFromEnv({ REDIS_URL: 'rediss://worker:p%40ss@cache.internal:6380/2' });
    expect(s).toEqual({ host: 'cache.internal', port: 6380, db: 2, tls: true, username: 'worker', password: 'p@ss', tlsOptions: {} });
    expect(describeRedis(s)).toBe('rediss://cache.internal:6380/2');
    expect(ioRedisOptions(s, 'producer').tls).toEqual({});
  });

  it('reads the split variables', () => {
    expect(
      redisSettingsFromEnv({ REDIS_HOST: 'r', REDIS_PORT: '7000', REDIS_USERNAME: 'u', REDIS_PASSWORD: 'p', REDIS_TLS: 'true' }),
    ).toEqual({ host: 'r', port: 7000, username: 'u', password: 'p', tls: true, db: 0, tlsOptions: {} });
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

describe('redisSettingsFromEnv: TLS settings', () => {
  let certs: TestCertificates;
  beforeAll(() => {
    certs = makeTestCertificates();
  });
  afterAll(() => certs?.remove());

  it('reads REDIS_TLS_CA/CERT/KEY files once and passes them, with REDIS_TLS_SERVERNAME, to ioredis', () => {
    const s = redisSettingsFromEnv({
      REDIS_URL: 'rediss://10.0.0.5:6380',
      REDIS_TLS_CA: certs.caCert,
      REDIS_TLS_CERT: certs.clientCert,
      REDIS_TLS_KEY: certs.clientKey,
      REDIS_TLS_SERVERNAME: 'redis.internal',
    });
    const tls = ioRedisOptions(s, 'worker').tls;
    expect(tls).toEqual({
      ca: readFileSync(certs.caCert, 'utf8'),
      cert: readFileSync(certs.clientCert, 'utf8'),
      key: readFileSync(certs.clientKey, 'utf8'),
      servername: 'redis.internal',
    });
    expect(ioRedisOptions(s, 'worker').Connector).toBeDefined();
    // The key never shows when the settings are logged or serialised; the description is unchanged.
    expect(JSON.stringify(s)).not.toContain('PRIVATE KEY');
    expect(describeRedis(s)).toBe('rediss://10.0.0.5:6380/0');
  });

  it('takes an inline PEM (with \\n escapes) as well as a path', () => {
    const pem = readFileSync(certs.caCert, 'utf8').trim();
    const s = redisSettingsFromEnv({ REDIS_TLS: 'true', REDIS_TLS_CA: pem.replace(/\n/g, '\\n') });
    expect(s.tlsOptions?.ca).toBe(pem);
  });

  it('adds no TLS options and no connector without TLS', () => {
    const s = redisSettingsFromEnv({});
    expect(s.tlsOptions).toBeUndefined();
    expect(ioRedisOptions(s, 'producer').tls).toBeUndefined();
    expect(ioRedisOptions(s, 'producer').Connector).toBeUndefined();
  });

  it.each<[string, (c: TestCertificates) => Record<string, string>, RegExp]>([
    ['a missing CA file', () => ({ REDIS_TLS_CA: '/nonexistent/ca.pem' }), /REDIS_TLS_CA: cannot read the file it names \(ENOENT\)/],
    ['a CA file with no certificate', (c) => ({ REDIS_TLS_CA: c.clientKey }), /REDIS_TLS_CA: holds no PEM certificate/],
    ['a garbled inline CA', () => ({ REDIS_TLS_CA: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' }), /REDIS_TLS_CA: certificate 1 cannot be parsed/],
    ['a certificate without its key', (c) => ({ REDIS_TLS_CERT: c.clientCert }), /REDIS_TLS_KEY: is required with REDIS_TLS_CERT/],
    ['a key that is not the certificate\'s', (c) => ({ REDIS_TLS_CERT: c.clientCert, REDIS_TLS_KEY: c.serverKey }), /REDIS_TLS_KEY: does not fit REDIS_TLS_CERT/],
    ['a key file that is a certificate', (c) => ({ REDIS_TLS_CERT: c.clientCert, REDIS_TLS_KEY: c.clientCert }), /REDIS_TLS_KEY: holds no usable PEM private key/],
    ['an IP address as server name', () => ({ REDIS_TLS_SERVERNAME: '10.0.0.5' }), /REDIS_TLS_SERVERNAME: must be a host name, not an IP address/],
  ])('refuses %s, naming the variable', (_, env, message) => {
    const full = { REDIS_URL: 'rediss://r:6380', ...env(certs) };
    expect(() => redisSettingsFromEnv(full)).toThrow(RedisConfigError);
    expect(() => redisSettingsFromEnv(full)).toThrow(message);
  });

  it('refuses TLS settings while TLS is off, rather than connect in plain text', () => {
    expect(() => redisSettingsFromEnv({ REDIS_URL: 'redis://r:6379', REDIS_TLS_CA: certs.caCert })).toThrow(
      /REDIS_TLS_CA: is set but TLS is off: use a rediss:\/\/ REDIS_URL or REDIS_TLS=true/,
    );
  });
});

describe('redisSettingsFromEnv: REDIS_CLUSTER_NODES', () => {
  it('turns on cluster mode with the seeds, credentials and TLS for every node, db 0', () => {
    const s = redisSettingsFromEnv({
      REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-b:7001 ,[::1]:7002,10.0.0.1:7000',
      REDIS_USERNAME: 'u',
      REDIS_PASSWORD: 'p',
      REDIS_HOST: 'ignored',
    });
    expect(s.clusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(s).toMatchObject({ host: '10.0.0.1', port: 7000, username: 'u', password: 'p', db: 0, tls: false });
    expect(describeRedis(s)).toBe('redis-cluster://10.0.0.1:7000,redis-b:7001,[::1]:7002');
    expect(describeRedis(redisSettingsFromEnv({ REDIS_CLUSTER_NODES: 'a:1', REDIS_TLS: 'true' }))).toBe('rediss-cluster://a:1');
  });

  it('leaves standalone settings as they were (no clusterNodes key)', () => {
    expect('clusterNodes' in redisSettingsFromEnv({ REDIS_URL: 'redis://x:1' })).toBe(false);
    expect('clusterNodes' in redisSettingsFromEnv({ REDIS_CLUSTER_NODES: '' })).toBe(false);
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'a:1', REDIS_URL: 'redis://b:2' }, /REDIS_CLUSTER_NODES: set either REDIS_CLUSTER_NODES .* or REDIS_URL/],
    [{ REDIS_CLUSTER_NODES: 'a:1', REDIS_DB: '2' }, /REDIS_DB: a Redis Cluster has database 0 only/],
    [{ REDIS_CLUSTER_NODES: 'a:1,b' }, /REDIS_CLUSTER_NODES: entry 2 must be host:port/],
    [{ REDIS_CLUSTER_NODES: 'a:70000' }, /REDIS_CLUSTER_NODES: entry 1 must be host:port/],
    [{ REDIS_CLUSTER_NODES: 'redis://user:secret@a:1' }, /REDIS_CLUSTER_NODES: entry 1/],
    [{ REDIS_CLUSTER_NODES: ',' }, /REDIS_CLUSTER_NODES: entry 1/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => redisSettingsFromEnv(env)).toThrow(RedisConfigError);
    expect(() => redisSettingsFromEnv(env)).toThrow(message);
    // An entry's text (which could carry a pasted password) is never echoed.
    expect(() => redisSettingsFromEnv(env)).not.toThrow(/secret/);
  });
});
