import { Cluster, type ClusterOptions } from 'ioredis';
import type { RedisOptions } from 'bullmq';
import { withTimeout } from '@jobs/common';
import { ioRedisOptions, type RedisSettings } from './redis-env';

/** How long closing a cluster connection waits for the nodes' QUIT answers before cutting the sockets, in ms. */
export const CLUSTER_QUIT_TIMEOUT_MS = 2000;

/**
 * What to give BullMQ as `connection`, and how to let it go. BullMQ closes a connection it built
 * from options, but never a client instance it was given: the caller owns that one.
 */
export interface BullMqConnection {
  /** BullMQ's `connection` option: ioredis options (standalone) or an `ioredis` `Cluster`. */
  readonly connection: RedisOptions | Cluster;
  /**
   * Closes what the caller owns, once the Queue/Worker/FlowProducer using it is closed: nothing
   * for options (BullMQ closed its own client), the `Cluster` otherwise (QUIT, or a plain
   * disconnect when the cluster is unreachable). Idempotent; never rejects.
   */
  close(): Promise<void>;
}

/**
 * The ioredis `Cluster` options for a role: each node is reached with the same options as a
 * standalone server (`ioRedisOptions`: credentials, TLS, timeouts, the role's retry rules), and
 * for producers the cluster itself fails fast while disconnected (`enableOfflineQueue: false`).
 * `enableReadyCheck` makes the client ready only once CLUSTER INFO says `cluster_state:ok`, so
 * BullMQ's `waitUntilReady` does not return while slots are still unassigned.
 */
export function clusterOptions(settings: RedisSettings, role: 'worker' | 'producer'): ClusterOptions {
  // The per-node location comes from the slot map: drop the standalone host/port/db.
  const { host: _host, port: _port, db: _db, ...redisOptions } = ioRedisOptions(settings, role);
  return {
    redisOptions,
    enableReadyCheck: true,
    enableOfflineQueue: role === 'worker',
    clusterRetryStrategy: (times) => Math.min(200 * times, 5000),
  };
}

/**
 * A BullMQ connection for a role (see `ioRedisOptions`): the options as before for a standalone
 * Redis; a new `Cluster` over `settings.clusterNodes` in cluster mode (BullMQ 6 needs a Cluster
 * instance: options alone always make a standalone client). Each call makes its own Cluster, so
 * each Queue/Worker/FlowProducer closes exactly the one it was given (see
 * {@link BullMqConnection.close}); a Worker duplicates it for its blocking connection and closes
 * that duplicate itself.
 */
export function bullMqConnection(settings: RedisSettings, role: 'worker' | 'producer'): BullMqConnection {
  if (!settings.clusterNodes) {
    return { connection: ioRedisOptions(settings, role), close: () => Promise.resolve() };
  }
  const cluster = new Cluster(
    settings.clusterNodes.map((node) => ({ host: node.host, port: node.port })),
    clusterOptions(settings, role),
  );
  let closing: Promise<void> | undefined;
  return {
    connection: cluster,
    close: () =>
      (closing ??= (async () => {
        if (cluster.status === 'end') return;
        if (cluster.status !== 'ready') {
          cluster.disconnect();
          return;
        }
        // QUIT waits for every node's answer: a stalled node (busy script, paused) must not hold
        // a shutdown past its deadline, so after CLUSTER_QUIT_TIMEOUT_MS the sockets are cut.
        await withTimeout(cluster.quit(), CLUSTER_QUIT_TIMEOUT_MS, () => new Error('cluster QUIT timed out')).then(
          () => undefined,
          () => cluster.disconnect(),
        );
      })()),
  };
}
