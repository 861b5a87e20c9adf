import { Redis } from 'ioredis';
import { ClusterUnsupportedError, describeRedis, ioRedisOptions, RedisTlsError, type RedisSettings } from '@jobs/queue-contracts';
import type { Logger } from './logger-type';

/**
 * A connected Redis client for an app's own keys (state, locks, records): producer options (a
 * command fails fast rather than queueing while Redis is away), named `connectionName` in
 * `CLIENT LIST`, connection errors logged at debug level. The caller quits it on shutdown.
 * @throws Error naming the Redis (without credentials) when it cannot connect;
 *   ClusterUnsupportedError in cluster mode (the apps' keys carry no hash tags yet).
 */
export async function connectAppRedis(settings: RedisSettings, connectionName: string, log: Logger): Promise<Redis> {
  if (settings.clusterNodes) throw new ClusterUnsupportedError(`${connectionName}: the app's own Redis keys`);
  const redis = new Redis({ ...ioRedisOptions(settings, 'producer'), lazyConnect: true, connectionName });
  // ioredis's connect() rejects with "Connection is closed." after the socket's own error:
  // keep that error, so a failed start says why (e.g. a RedisTlsError naming REDIS_TLS_CA).
  let lastError: Error | undefined;
  redis.on('error', (err) => {
    lastError = err;
    log.debug({ err }, `${connectionName} connection error`);
  });
  await redis.connect().catch((err: unknown) => {
    const cause = lastError ?? err;
    const reason = cause instanceof RedisTlsError ? `: ${cause.message}` : '';
    throw new Error(`Redis at ${describeRedis(settings)} is not reachable${reason}`, { cause });
  });
  return redis;
}
