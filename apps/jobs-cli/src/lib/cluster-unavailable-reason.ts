/**
 * Errors an ioredis `Cluster` fails commands with when it cannot reach or use the cluster. They
 * carry no code, so their text is all there is to go on (ioredis 5's messages):
 * - "None of startup nodes is available": the cluster gave up reconnecting;
 * - "Cluster isn't ready and enableOfflineQueue options is false": a producer's command while the
 *   cluster connects;
 * - "Cluster is disconnected." / "Cluster is disconnecting.": it closed under a command;
 * - "Too many Cluster redirections. …": slots kept moving, or the node a slot maps to is gone.
 * The contracts' `isRedisUnavailableError` knows these too (and `ClusterAllFailedError`); what
 * this module adds is the reason to show, with the last node's own error appended to
 * `ClusterAllFailedError`'s message.
 */
const CLUSTER_CONNECTION_MESSAGES = [/^None of startup nodes is available/, /^Cluster isn't ready/, /^Cluster is disconnect/, /^Too many Cluster redirections/];

/**
 * When `err` says a Redis Cluster cannot be reached or used, why, for one line of output;
 * otherwise `undefined`. ioredis's `ClusterAllFailedError` ("Failed to refresh slots cache.": no
 * seed node answered `CLUSTER SLOTS`) gets the last node's own error appended, e.g.
 * `connect ECONNREFUSED 127.0.0.1:7000`, or `ERR This instance has cluster support disabled`
 * for a seed that is a standalone Redis (it is matched by class name, which ioredis does not
 * export).
 */
export function clusterUnavailableReason(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'ClusterAllFailedError') {
    const last: unknown = (err as { lastNodeError?: unknown }).lastNodeError;
    return last instanceof Error ? `${err.message} (last node: ${last.message})` : err.message;
  }
  return CLUSTER_CONNECTION_MESSAGES.some((pattern) => pattern.test(err.message)) ? err.message : undefined;
}
