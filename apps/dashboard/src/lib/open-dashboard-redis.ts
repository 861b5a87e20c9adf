import { Cluster, Redis } from 'ioredis';
import { clusterOptions, ioRedisOptions, type RedisSettings } from '@jobs/queue-contracts';
import type { AppRedis, Logger } from '@jobs/worker-kit';

/**
 * A Redis client of the dashboard's own (readiness probe, logout markers): a standalone `Redis`,
 * or an ioredis `Cluster` over `settings.clusterNodes` in cluster mode, with producer options (a
 * command fails at once while disconnected rather than waiting), named `connectionName` in
 * `CLIENT LIST` (on every node of a cluster), connection errors logged at debug level.
 *
 * Unlike the kit's `connectAppRedis` it does not wait for the connection: the dashboard starts
 * while Redis is away and reports it on `/readyz` (503) until Redis answers, as it always has;
 * `connectAppRedis` would make such a start fail. The caller closes it with the kit's
 * `closeAppRedis` (QUIT, bounded).
 */
export function openDashboardRedis(settings: RedisSettings, connectionName: string, log: Logger): AppRedis {
  const onError = (err: Error) => log.debug({ err }, `${connectionName} connection error`);
  if (!settings.clusterNodes) {
    const redis = new Redis({ ...ioRedisOptions(settings, 'producer'), connectionName });
    redis.on('error', onError);
    return redis;
  }
  const options = clusterOptions(settings, 'producer');
  const cluster = new Cluster(
    settings.clusterNodes.map((node) => ({ host: node.host, port: node.port })),
    { ...options, redisOptions: { ...options.redisOptions, connectionName } },
  );
  cluster.on('error', onError);
  // A node's socket error comes as 'node error'; unheard it is only lost, but it says why.
  cluster.on('node error', onError);
  return cluster;
}

