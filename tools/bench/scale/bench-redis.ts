import type { Redis } from 'ioredis';
import type { RedisSettings } from '@jobs/queue-contracts';

/** Where a run's queues live: one `redis-server`, or a throwaway Redis Cluster of 3 masters. */
export type BenchLayout = 'one Redis' | 'cluster';

/** One Redis server of a {@link BenchRedis}. */
export interface BenchRedisServer {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /**
   * A plain client to this server alone (not a cluster client): `INFO`, `MEMORY USAGE` and the
   * bench's polls of the keys this server holds, so every reading is of one server.
   */
  readonly admin: Redis;
}

/** The Redis a bench run measures, with what producers and worker processes need to reach it. */
export interface BenchRedis {
  readonly layout: BenchLayout;
  /** The producer's settings (`clusterNodes` set on a cluster, so queue prefixes get their hash tags). */
  readonly settings: RedisSettings;
  /** What a worker process gets in its environment: `REDIS_URL`, or `REDIS_CLUSTER_NODES`. */
  readonly workerEnv: Readonly<Record<string, string>>;
  /** Every server (a cluster's masters, in start order). */
  readonly servers: readonly BenchRedisServer[];
  /** The server that holds `key`: the only one, or the master serving the key's slot. */
  serverOf(key: string): Promise<BenchRedisServer>;
  /** Empties every server (`FLUSHALL`), so a run's memory readings start from nothing. */
  flush(): Promise<void>;
  /** Disconnects the admin clients and stops the servers; idempotent, never rejects. */
  stop(): Promise<void>;
}
