// The built CLI given seeds that refuse it (REDIS_CLUSTER_NODES): the reason a user can act on,
// not ioredis's "Connection is closed.". A TLS seed whose certificate the configured CA did not
// sign, and a standalone Redis listed as a seed.
import { makeTestCertificates, startTlsRedis, testRedisUrl, type TestCertificates, type ThrowawayRedis } from '@jobs/test-support';
import { EXIT_CODES } from './lib/exit-codes';
import { runBuiltCli } from './test-support/run-built-cli';

describe('jobs-cli when the cluster seeds refuse it', () => {
  let certs: TestCertificates;
  let server: ThrowawayRedis;

  beforeAll(async () => {
    certs = makeTestCertificates();
    server = await startTlsRedis({ certificates: certs });
  });
  afterAll(async () => {
    await server?.stop();
    certs?.remove();
  });

  it('exit 4 naming REDIS_TLS_CA when the seed presents a certificate the configured CA did not sign', async () => {
    const run = await runBuiltCli(['stats'], {
      env: { REDIS_URL: undefined, REDIS_CLUSTER_NODES: `127.0.0.1:${server.port}`, REDIS_TLS: 'true', REDIS_TLS_CA: certs.otherCaCert },
      hangAfterMs: 90_000,
    });
    expect(run.code).toBe(EXIT_CODES.redisUnavailable);
    expect(run.stderr).toMatch(new RegExp(`^jobs-cli: Redis at rediss-cluster://127\\.0\\.0\\.1:${server.port} is unavailable: .*\\(last node: TLS: the Redis server's certificate is not trusted .*set REDIS_TLS_CA to the CA that signed it`, 'm'));
    expect(run.stderr).not.toContain('Connection is closed.');
    expect(run.stderr).not.toContain('unexpected error');
  }, 120_000);

  it('exit 4 saying the seed has cluster support disabled when it is a standalone Redis', async () => {
    const standalone = new URL(testRedisUrl());
    const run = await runBuiltCli(['stats'], { env: { REDIS_URL: undefined, REDIS_CLUSTER_NODES: `${standalone.hostname}:${standalone.port || 6379}` }, hangAfterMs: 90_000 });
    expect(run.code).toBe(EXIT_CODES.redisUnavailable);
    expect(run.stderr).toMatch(/cluster support disabled/);
    expect(run.stderr).not.toContain('unexpected error');
  }, 120_000);
});
