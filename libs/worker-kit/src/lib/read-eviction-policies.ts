import { Cluster } from 'ioredis';
import { withTimeout } from '@jobs/common';
import { checkEvictionPolicy, type EvictionPolicyReading } from './check-eviction-policy';
import { clusterMasters } from './cluster-masters';
import type { AppRedis } from './connect-app-redis';

/** What one Redis server said about its eviction policy, or why it could not be asked. */
export type NodeEvictionPolicy =
  | {
      /** `host:port` of a cluster master; undefined for a standalone Redis. */
      readonly node: string | undefined;
      readonly reading: EvictionPolicyReading;
    }
  | { readonly node: string; readonly error: Error };

/** Default of {@link readEvictionPolicies}'s `nodeTimeoutMs`: how long one cluster master may take to answer, in ms. */
export const EVICTION_POLICY_NODE_TIMEOUT_MS = 1000;

/**
 * Reads `maxmemory-policy` where jobs are kept (see {@link checkEvictionPolicy}):
 * - a standalone `Redis`: one reading with `node` undefined, asked as `checkEvictionPolicy` does;
 * - a `Cluster`: one entry per master (see `clusterMasters`), asked in parallel on the cluster's
 *   own connection to that node. A master the client has no connection to, or that does not answer
 *   within `nodeTimeoutMs` (default {@link EVICTION_POLICY_NODE_TIMEOUT_MS}), gives `error` in its
 *   entry, so the answers of the others still count (one evicting master is enough to know).
 * @throws the client's error when a standalone Redis cannot be reached; Error when the cluster is
 *   not ready or knows no master yet (ask again once it is).
 */
export async function readEvictionPolicies(client: AppRedis, nodeTimeoutMs = EVICTION_POLICY_NODE_TIMEOUT_MS): Promise<NodeEvictionPolicy[]> {
  if (!(client instanceof Cluster)) return [{ node: undefined, reading: await checkEvictionPolicy(client) }];
  // Before it is ready the pool holds only the seed nodes, which may be some of the masters.
  if (client.status !== 'ready') throw new Error(`Redis Cluster connection is ${client.status}`);
  const masters = clusterMasters(client);
  if (masters.length === 0) throw new Error('Redis Cluster slot map names no master yet');
  return Promise.all(
    masters.map(async ({ node, client: nodeClient }): Promise<NodeEvictionPolicy> => {
      if (!nodeClient) return { node, error: new Error('not connected') };
      try {
        const reading = await withTimeout(checkEvictionPolicy(nodeClient), nodeTimeoutMs, () => new Error(`no CONFIG GET answer within ${nodeTimeoutMs} ms`));
        return { node, reading };
      } catch (err) {
        return { node, error: err instanceof Error ? err : new Error(String(err)) };
      }
    }),
  );
}
