import type { RedisSettings } from '@jobs/queue-contracts';
import { openClusterRedisProbe } from './cluster-redis-probe';
import type { Logger } from './logger-type';
import type { RedisProbe } from './redis-probe';
import { openStandaloneRedisProbe } from './standalone-redis-probe';

/**
 * Opens the readiness probe for `settings`: one connection to a standalone Redis, or an ioredis
 * `Cluster` (a connection per master) when `settings.clusterNodes` is set. It connects in the
 * background and reconnects on its own; `connectionName` names it in `CLIENT LIST`. Connection
 * errors are logged at debug level, a certificate refusal (`RedisTlsError`) at error level once per
 * distinct message. The caller closes it.
 */
export function openRedisProbe(settings: RedisSettings, connectionName: string, log: Logger): RedisProbe {
  return settings.clusterNodes ? openClusterRedisProbe(settings, connectionName, log) : openStandaloneRedisProbe(settings, connectionName, log);
}
