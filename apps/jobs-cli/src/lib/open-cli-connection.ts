import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { clusterOptions, ioRedisOptions, type RedisSettings } from '@jobs/queue-contracts';

/** How long the CLI waits for a TCP connection to Redis (to each cluster node), per attempt, in ms. */
export const CONNECT_TIMEOUT_MS = 3000;
/** Reconnect attempts after the first failed one before the CLI gives up on Redis. */
export const CONNECT_RETRIES = 2;
/**
 * How long the connection may take to become ready, all attempts together, in ms. ioredis's
 * `connectTimeout` ends at the TCP connect; a server that accepts and then never answers (a
 * hung Redis, a port of something else) would otherwise keep the CLI waiting for good.
 */
export const READY_TIMEOUT_MS = CONNECT_TIMEOUT_MS * (CONNECT_RETRIES + 1);
/** How long one Redis command may go unanswered before it fails, in ms (not `drain`'s script: see `CliConnection.withoutCommandTimeout`). */
export const COMMAND_TIMEOUT_MS = 15_000;

/** The one Redis client every queue handle of a CLI run shares. */
export interface CliConnection {
  /** BullMQ's `connection`: a standalone `Redis`, or an ioredis `Cluster` in cluster mode. */
  readonly client: Redis | Cluster;
  /**
   * Runs `fn` with the per-command timeout off (on every node of a cluster), for one long
   * server-side step; restores it after, also when `fn` throws.
   */
  withoutCommandTimeout<T>(fn: () => Promise<T>): Promise<T>;
}

/** What the CLI changes from the producers' options: wait for the connection, but not for ever. */
const GIVE_UP: Pick<RedisOptions, 'maxRetriesPerRequest' | 'connectTimeout' | 'commandTimeout'> = {
  maxRetriesPerRequest: 1,
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
};
/** Attempts are counted: null ends the connection, failing every command that waits. */
const retries = (times: number): number | null => (times > CONNECT_RETRIES ? null : 100 * times);

/**
 * Opens the CLI's shared connection (connecting at once) with the producers' options for
 * `settings` (`ioRedisOptions` / `clusterOptions`, role `producer`: credentials, TLS) changed so
 * that it gives up: commands wait for the connection (offline queue on), each connection attempt
 * (to each node) waits at most {@link CONNECT_TIMEOUT_MS}, at most {@link CONNECT_RETRIES} retries
 * follow (the cluster's own retry in cluster mode: ioredis never reconnects a single node), then
 * every pending and later command fails; a connection not ready after {@link READY_TIMEOUT_MS}
 * is dropped the same way (its sockets destroyed, with an `ETIMEDOUT` error emitted first, which
 * BullMQ's wait for `ready` then reports); a command unanswered after
 * {@link COMMAND_TIMEOUT_MS} fails.
 *
 * In cluster mode the client is one ioredis `Cluster` over `settings.clusterNodes`, ready once
 * `CLUSTER INFO` says `cluster_state:ok`; every queue keeps its keys under its hash-tagged prefix
 * (`queuePrefix`), so each BullMQ script runs on the master of that queue's slot.
 */
export function openCliConnection(settings: RedisSettings): CliConnection {
  const client = settings.clusterNodes ? openCluster(settings) : openStandalone(settings);
  // Errors surface through the commands; without a listener ioredis prints each one.
  client.on('error', () => undefined);
  const notReady = setTimeout(() => {
    const sockets = client instanceof Cluster ? client.nodes().map((node) => node.stream) : [client.stream];
    // BullMQ's wait for 'ready' fails with the last 'error' once the connection ends.
    const err = Object.assign(new Error(`no answer within ${READY_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' });
    client.emit('error', err);
    client.disconnect();
    // disconnect() only half-closes a connected socket; a peer that never answers never
    // closes its side either, and the socket would keep the process (and the error) waiting.
    for (const socket of sockets) socket?.destroy();
  }, READY_TIMEOUT_MS);
  notReady.unref();
  client.once('ready', () => clearTimeout(notReady));
  client.once('end', () => clearTimeout(notReady));
  return { client, withoutCommandTimeout: (fn) => withoutCommandTimeout(client, fn) };
}

function openStandalone(settings: RedisSettings): Redis {
  return new Redis({ ...ioRedisOptions(settings, 'producer'), ...GIVE_UP, enableOfflineQueue: true, retryStrategy: retries });
}

function openCluster(settings: RedisSettings): Cluster {
  const options = clusterOptions(settings, 'producer');
  // ioredis gives each node `redisOptions` but never reconnects one (its `retryStrategy` is
  // null): the cluster's own `clusterRetryStrategy` counts the attempts.
  return new Cluster(
    (settings.clusterNodes ?? []).map((node) => ({ host: node.host, port: node.port })),
    { ...options, enableOfflineQueue: true, clusterRetryStrategy: retries, redisOptions: { ...options.redisOptions, ...GIVE_UP } },
  );
}

async function withoutCommandTimeout<T>(client: Redis | Cluster, fn: () => Promise<T>): Promise<T> {
  // ioredis reads `commandTimeout` when each command is sent, from the client that sends it: the
  // standalone client, or each node of a cluster (whose nodes are made from `redisOptions`, so a
  // node connected meanwhile gets it too). The CLI runs one command at a time, so only `fn`'s
  // commands go out while it is off.
  const holders: { commandTimeout?: number }[] = client instanceof Cluster ? [client.options.redisOptions ?? {}, ...client.nodes().map((node) => node.options)] : [client.options];
  const saved = holders.map((holder) => holder.commandTimeout);
  for (const holder of holders) holder.commandTimeout = undefined;
  try {
    return await fn();
  } finally {
    holders.forEach((holder, i) => (holder.commandTimeout = saved[i]));
  }
}
