import { RedisConfigError } from './redis-config-error';

/** One seed node of a Redis Cluster: where a client first asks for the slot map. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `REDIS_CLUSTER_NODES`: comma-separated `host:port` seeds (`[v6::addr]:port` for IPv6;
 * the port is required, 1–65535). Blanks around entries are ignored; duplicates are kept once.
 * A client needs only one reachable seed to learn the whole cluster; listing several survives a
 * seed being down at start.
 * @throws RedisConfigError naming `REDIS_CLUSTER_NODES` for an empty list or a malformed entry
 *   (the entry's position, never its text, which could carry a pasted credential).
 */
export function parseRedisClusterNodes(value: string): readonly RedisClusterNode[] {
  const entries = value.split(',').map((entry) => entry.trim());
  const nodes = new Map<string, RedisClusterNode>();
  entries.forEach((entry, index) => {
    const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:@/[\]]+)):(\d{1,5})$/.exec(entry);
    const port = match ? Number(match[3]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new RedisConfigError([
        { variable: 'REDIS_CLUSTER_NODES', message: `entry ${index + 1} must be host:port (port 1-65535), comma-separated` },
      ]);
    }
    const host = match[1] ?? match[2] ?? '';
    nodes.set(`${host}:${port}`, Object.freeze({ host, port }));
  });
  return Object.freeze([...nodes.values()]);
}
