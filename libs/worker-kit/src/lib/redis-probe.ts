import type { AppRedis } from './connect-app-redis';

/** How long one probe question (PING, CLUSTER INFO, CONFIG GET on a cluster master) may take, in ms. */
export const PROBE_ANSWER_TIMEOUT_MS = 1000;

/**
 * A worker app's own connection for `/readyz` and the eviction check, so probes never queue
 * behind the worker's blocking commands. Open one with `openRedisProbe`.
 */
export interface RedisProbe {
  /** The client the eviction policy is asked on (`EvictionGate`): a `Redis`, or a `Cluster` in cluster mode. */
  readonly client: AppRedis;
  /** True while the connection is ready for commands (in cluster mode: the Cluster client is). */
  readonly isReady: boolean;
  /**
   * True when the eviction policy must be asked at every readiness probe, not only while the gate
   * is closed: on a cluster a master may change (failover, a master added, `CONFIG SET` on one
   * node) without the probe's Cluster client reconnecting.
   */
  readonly recheckEvictionEveryProbe: boolean;
  /**
   * Why Redis is not ready, for `/readyz`; empty when it is. Each question waits at most
   * {@link PROBE_ANSWER_TIMEOUT_MS}; never rejects. Reasons name servers as `host:port`, never
   * with credentials.
   */
  reasons(): Promise<string[]>;
  /** Calls `listener` on every (re)connect, and in cluster mode when a node joins the client's pool. */
  onConnected(listener: () => void): void;
  /** Closes every connection the probe opened at once (no QUIT); idempotent. */
  close(): void;
}
