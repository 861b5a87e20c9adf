import { Redis } from 'ioredis';
import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { startThrowawayRedis } from '@jobs/test-support';
import type { BenchRedis } from './bench-redis';

/**
 * A fresh throwaway `redis-server` (loopback, free port, no persistence, `noeviction`) as a
 * {@link BenchRedis}: what every run of the default bench measures.
 * @throws RedisServerMissingError without `redis-server` on PATH; Error when it does not start.
 */
export async function startOneRedis(): Promise<BenchRedis> {
  const server = await startThrowawayRedis();
  const admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
  const self = { address: `127.0.0.1:${server.port}`, admin };
  let stopping: Promise<void> | undefined;
  return {
    layout: 'one Redis',
    settings: redisSettingsFromEnv({ REDIS_URL: server.url }),
    // Empty is unset to the kit: a REDIS_CLUSTER_NODES in the bench's own environment must not reach the workers.
    workerEnv: Object.freeze({ REDIS_URL: server.url, REDIS_CLUSTER_NODES: '' }),
    servers: [self],
    serverOf: () => Promise.resolve(self),
    flush: async () => {
      await admin.flushall();
    },
    stop: () =>
      (stopping ??= (async () => {
        admin.disconnect();
        await server.stop();
      })()),
  };
}
