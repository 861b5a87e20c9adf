import { Cluster, Redis } from 'ioredis';
import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { startThrowawayRedisCluster, testRedisUrl, type ThrowawayRedisCluster } from '@jobs/test-support';
import { COMMAND_TIMEOUT_MS, CONNECT_TIMEOUT_MS, openCliConnection } from './open-cli-connection';

const ready = (client: Redis | Cluster) => new Promise<void>((resolve, reject) => {
  if (client.status === 'ready') return resolve();
  client.once('ready', () => resolve());
  client.once('end', () => reject(new Error('connection ended before ready')));
});

describe('openCliConnection', () => {
  it('gives a standalone Redis for REDIS_URL, with the CLI timeouts', async () => {
    const { client } = openCliConnection(redisSettingsFromEnv({ REDIS_URL: testRedisUrl() }));
    try {
      expect(client).toBeInstanceOf(Redis);
      expect((client as Redis).options).toMatchObject({ commandTimeout: COMMAND_TIMEOUT_MS, connectTimeout: CONNECT_TIMEOUT_MS, enableOfflineQueue: true });
      await ready(client);
    } finally {
      client.disconnect();
    }
  });

  describe('on a 3-master Redis Cluster', () => {
    let cluster: ThrowawayRedisCluster;
    beforeAll(async () => {
      cluster = await startThrowawayRedisCluster(3);
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    it('gives one Cluster whose every node has the command timeout, off inside withoutCommandTimeout only (drain\'s long script)', async () => {
      const connection = openCliConnection(redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes }));
      const client = connection.client as Cluster;
      try {
        expect(client).toBeInstanceOf(Cluster);
        await ready(client);
        // A key on each master, so every node is connected.
        for (const tag of ['{workflow}', '{seo-audit}', '{ads}']) await client.set(`cli-conn:${tag}`, '1', 'PX', 10_000);
        const nodes = client.nodes('master');
        expect(nodes).toHaveLength(3);
        const timeouts = () => nodes.map((node) => node.options.commandTimeout);
        expect(timeouts()).toEqual([COMMAND_TIMEOUT_MS, COMMAND_TIMEOUT_MS, COMMAND_TIMEOUT_MS]);
        const inside = await connection.withoutCommandTimeout(async () => {
          await client.get('cli-conn:{ads}');
          return { nodes: timeouts(), newNodes: client.options.redisOptions?.commandTimeout };
        });
        expect(inside).toEqual({ nodes: [undefined, undefined, undefined], newNodes: undefined });
        expect(timeouts()).toEqual([COMMAND_TIMEOUT_MS, COMMAND_TIMEOUT_MS, COMMAND_TIMEOUT_MS]);
        // Restored when the step throws too.
        await expect(connection.withoutCommandTimeout(() => Promise.reject(new Error('step failed')))).rejects.toThrow('step failed');
        expect([...timeouts(), client.options.redisOptions?.commandTimeout]).toEqual([COMMAND_TIMEOUT_MS, COMMAND_TIMEOUT_MS, COMMAND_TIMEOUT_MS, COMMAND_TIMEOUT_MS]);
      } finally {
        await client.quit();
      }
    }, 60_000);
  });
});
