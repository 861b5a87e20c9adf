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
