import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { jsonLineSink, makeTestCertificates, startTlsRedis, testRedisUrl, waitFor, type TestCertificates, type ThrowawayRedis } from '@jobs/test-support';
import { openClusterRedisProbe } from './cluster-redis-probe';
import { createLogger } from './create-logger';
import type { RedisProbe } from './redis-probe';

// The cluster readiness probe while no seed lets it in: /readyz says why when a seed does (a
// certificate refusal, a standalone Redis), which ioredis's Cluster client never reports.
describe('openClusterRedisProbe when the seeds refuse it', () => {
  let certs: TestCertificates;
  let server: ThrowawayRedis;
  let probe: RedisProbe | undefined;

  beforeAll(async () => {
    certs = makeTestCertificates();
    server = await startTlsRedis({ certificates: certs });
  });
  afterEach(() => probe?.close());
  afterAll(async () => {
    await server?.stop();
    certs?.remove();
  });

  const open = (env: Record<string, string>) => {
    const sink = jsonLineSink();
    probe = openClusterRedisProbe(redisSettingsFromEnv(env), 'probe-test', createLogger({ level: 'info', destination: sink.destination }));
    return { probe, sink };
  };
  /** The first readiness answer that says more than the client's status. */
  const explained = (p: RedisProbe) =>
    waitFor('a reason naming the refusal', async () => {
      const reasons = await p.reasons();
      return reasons.some((r) => r.includes(': ')) ? reasons : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200 });

  it('names REDIS_TLS_CA when the seed presents a certificate the configured CA did not sign, logged at error once', async () => {
    const { probe: p, sink } = open({ REDIS_CLUSTER_NODES: `127.0.0.1:${server.port}`, REDIS_TLS: 'true', REDIS_TLS_CA: certs.otherCaCert });
    const reasons = await explained(p);
    expect(reasons).toEqual([expect.stringMatching(/^redis cluster \w+: TLS: the Redis server's certificate is not trusted .*set REDIS_TLS_CA to the CA that signed it/)]);
    expect(p.isReady).toBe(false);
    for (let i = 0; i < 3; i++) await p.reasons();
    const logged = sink.lines.filter((l) => l['level'] === 50);
    expect(logged).toHaveLength(1);
    expect(String((logged[0]?.['err'] as { message?: string })?.message)).toMatch(/REDIS_TLS_CA/);
  });

  it('says cluster support is disabled when the seed is a standalone Redis', async () => {
    const standalone = new URL(testRedisUrl());
    const { probe: p } = open({ REDIS_CLUSTER_NODES: `${standalone.hostname}:${standalone.port || 6379}` });
    expect(await explained(p)).toEqual([expect.stringMatching(/^redis cluster \w+: ERR This instance has cluster support disabled/)]);
  });

  it('gives the status alone when no seed answers at all', async () => {
    const { probe: p } = open({ REDIS_CLUSTER_NODES: '127.0.0.1:1' });
    // Twice: the second answer comes after the seed check (refused at once) has settled.
    await p.reasons();
    expect(await p.reasons()).toEqual([expect.stringMatching(/^redis cluster \w+$/)]);
  });
});
