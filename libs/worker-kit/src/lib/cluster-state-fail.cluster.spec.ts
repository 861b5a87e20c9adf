import { Redis } from 'ioredis';
import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { startThrowawayRedisCluster, waitFor, type ThrowawayRedisCluster } from '@jobs/test-support';
import { openClusterRedisProbe } from './cluster-redis-probe';
import { createLogger } from './create-logger';
import type { RedisProbe } from './redis-probe';

// A master down past `cluster-node-timeout` (2 s here, Redis's default is 15 s): with no replica
// to promote, the other masters mark it failed and report cluster_state:fail. The readiness
// probe names the stopped master and the masters that see the cluster failing.
describe('cluster readiness when the cluster reports cluster_state:fail', () => {
  let cluster: ThrowawayRedisCluster;
  let probe: RedisProbe | undefined;

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3, { nodeTimeoutMs: 2000 });
  }, 60_000);
  afterAll(async () => {
    probe?.close();
    await cluster?.stop();
  });

  it('names the stopped master and the masters reporting cluster_state:fail', async () => {
    probe = openClusterRedisProbe(redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes }), 'state-fail-test', createLogger({ level: 'silent' }));
    const p = probe;
    await waitFor('ready', async () => p.isReady && (await p.reasons()).length === 0);

    const [first, second, stopped] = cluster.ports as [number, number, number];
    const node = new Redis({ host: '127.0.0.1', port: stopped, maxRetriesPerRequest: 0, retryStrategy: () => null });
    node.on('error', () => undefined);
    await node.shutdown('NOSAVE').catch(() => undefined);
    node.disconnect();

    // The master that marks the stopped one failed reports cluster_state:fail first; the other
    // follows once the FAIL message reaches it: wait for both.
    const failingOn = (reasons: readonly string[]) =>
      reasons.find((reason) => reason.startsWith('redis cluster_state:fail on '))?.slice('redis cluster_state:fail on '.length).split(', ').sort();
    const survivors = [`127.0.0.1:${first}`, `127.0.0.1:${second}`].sort();
    const reasons = await waitFor('cluster_state:fail reported by both other masters', async () => {
      const now = await p.reasons();
      return JSON.stringify(failingOn(now)) === JSON.stringify(survivors) ? now : undefined;
    });
    expect(reasons).toEqual([expect.stringMatching(new RegExp(`^redis master 127\\.0\\.0\\.1:${stopped} unreachable: `)), expect.stringMatching(/^redis cluster_state:fail on /)]);
  }, 120_000);
});
