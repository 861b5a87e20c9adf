import { Redis } from 'ioredis';
import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { startThrowawayRedisCluster } from '@jobs/test-support';
import type { BenchRedis, BenchRedisServer } from './bench-redis';

/** One slot range of `CLUSTER SLOTS`: first and last slot, and the port of the master serving it. */
interface SlotRange {
  readonly first: number;
  readonly last: number;
  readonly port: number;
}

/** Reads `CLUSTER SLOTS` (`[[first, last, [host, port, id], …replicas], …]`) from `admin`. */
async function slotRanges(admin: Redis): Promise<SlotRange[]> {
  const reply = (await admin.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
  return reply.map(([first, last, master]) => ({ first: Number(first), last: Number(last), port: Number(master[1]) }));
}

/**
 * A throwaway Redis Cluster (`startThrowawayRedisCluster`: `masters` masters, default 3, no
 * replicas, slots split evenly, loopback, no persistence) as a {@link BenchRedis}; producers and
 * workers reach it as the platform does in cluster mode (`REDIS_CLUSTER_NODES`), and the bench
 * reads each master with a plain client of its own.
 * @throws RedisServerMissingError without `redis-server`; Error when `redis-cli --cluster create`
 *   fails or the cluster is not ok within 30 s (what was started is stopped first).
 */
export async function startClusterRedis(masters = 3): Promise<BenchRedis> {
  const cluster = await startThrowawayRedisCluster(masters);
  const servers: BenchRedisServer[] = cluster.ports.map((port) => ({
    address: `127.0.0.1:${port}`,
    admin: new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 }),
  }));
  // The slot map does not change while the bench runs (nothing reshards a throwaway cluster).
  let ranges: Promise<SlotRange[]> | undefined;
  let stopping: Promise<void> | undefined;
  return {
    layout: 'cluster',
    settings: redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes }),
    // Empty is unset to the kit: a REDIS_URL or REDIS_DB in the bench's own environment would be refused beside the nodes.
    workerEnv: Object.freeze({ REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: '', REDIS_DB: '' }),
    servers,
    async serverOf(key) {
      const slot = Number(await servers[0].admin.call('CLUSTER', 'KEYSLOT', key));
      const range = (await (ranges ??= slotRanges(servers[0].admin))).find((r) => r.first <= slot && slot <= r.last);
      const server = servers.find((s) => s.address === `127.0.0.1:${range?.port}`);
      if (!server) throw new Error(`no master of the cluster serves slot ${slot} (key ${key})`);
      return server;
    },
    flush: async () => {
      await Promise.all(servers.map((s) => s.admin.flushall()));
    },
    stop: () =>
      (stopping ??= (async () => {
        for (const s of servers) s.admin.disconnect();
        await cluster.stop();
      })()),
  };
}
