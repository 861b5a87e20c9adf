import type { Cluster, Redis } from 'ioredis';

/** One master of a Redis Cluster as a client sees it. */
export interface ClusterMaster {
  /** `host:port` as the cluster announces it (no credentials): safe to log and to show in `/readyz`. */
  readonly node: string;
  /** The client's connection to it, or undefined while it has none (the node went away). */
  readonly client: Redis | undefined;
}

/**
 * Every master `cluster` should be able to reach, in a stable order (sorted by `host:port`): the
 * owners of the slots in its slot map, and any other master in its connection pool. The slot map
 * is needed besides `cluster.nodes('master')` because ioredis drops a node's connection from the
 * pool once it ends (a master that stopped), while the slot map keeps naming that master until
 * the cluster reassigns its slots. Empty until the cluster has loaded its slot map.
 */
export function clusterMasters(cluster: Cluster): ClusterMaster[] {
  const clients = new Map<string, Redis>();
  for (const client of cluster.nodes('master')) clients.set(`${client.options.host}:${client.options.port}`, client);
  const nodes = new Set<string>(clients.keys());
  // Each slot's first node is its master; 16 384 slots, a handful of distinct owners.
  for (const owners of cluster.slots) if (owners?.[0]) nodes.add(owners[0]);
  return [...nodes].sort().map((node) => ({ node, client: clients.get(node) }));
}
