import { Cluster } from 'ioredis';
import { withTimeout } from '@jobs/common';
import { clusterMasters, type AppRedis, type ClusterMaster } from '@jobs/worker-kit';

/**
 * Why the dashboard's probe connection `redis` is not fit to serve, as `/readyz` reasons; empty
 * when it is. Each PING is bounded by `timeoutMs` (ms).
 * - Standalone Redis: `redis unreachable: <why>` when PING fails or does not answer in time.
 * - Redis Cluster: every master the client should reach (the kit's `clusterMasters`: owners in
 *   its slot map plus its pool) is PINGed; each one that fails is named,
 *   `redis master <host:port> unreachable: <why>`, with `not connected` for a master the client
 *   has no connection to. That is a master that stopped: ioredis drops its connection from the
 *   pool (so `cluster.nodes('master')` alone would look healthy), while the slot map still names
 *   it until the cluster hands its slots to another node. A queue group on that master can be
 *   neither read nor changed, so the dashboard is not ready without it. While one is missing the
 *   slot map is refreshed, which reconnects to it once it is back.
 *   `redis cluster: no master in its slot map yet` before the first slot map.
 * The caller checks `redis.status === 'ready'` first; this only reads a ready client.
 */
export async function redisReadinessReasons(redis: AppRedis, timeoutMs: number): Promise<string[]> {
  const noAnswer = () => new Error(`no PING answer within ${timeoutMs} ms`);
  if (!(redis instanceof Cluster)) {
    try {
      await withTimeout(redis.ping(), timeoutMs, noAnswer);
      return [];
    } catch (err) {
      return [`redis unreachable: ${messageOf(err)}`];
    }
  }
  const masters = clusterMasters(redis);
  if (masters.length === 0) return ['redis cluster: no master in its slot map yet'];
  if (masters.some(({ client }) => !client)) redis.refreshSlotsCache();
  const ping = async ({ node, client }: ClusterMaster): Promise<string | undefined> => {
    if (!client) return `redis master ${node} unreachable: not connected`;
    try {
      await withTimeout(client.ping(), timeoutMs, noAnswer);
      return undefined;
    } catch (err) {
      return `redis master ${node} unreachable: ${messageOf(err)}`;
    }
  };
  return (await Promise.all(masters.map(ping))).filter((reason): reason is string => reason !== undefined);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
