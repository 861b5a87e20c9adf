import { ConnectionClosedError } from 'bullmq';
import { ReplyError } from 'ioredis';

/** Socket errors (`err.code`) that mean Redis cannot be reached or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * ioredis rejects commands on a broken connection with plain `Error`s that carry no code or
 * class, so their text is all there is to go on (BullMQ's own `isNotConnectionError` does the
 * same): "Stream isn't writeable and enableOfflineQueue options is false" (no connection, and
 * producers keep no offline queue), "Connection is closed." (the socket closed mid-command) and
 * "Command timed out" (no answer within a client's `commandTimeout`, e.g. the jobs CLI's).
 */
const IOREDIS_CONNECTION_MESSAGES = [
  /^Stream isn't writeable/,
  /^Connection is closed\.?$/,
  /^Command timed out/,
  // An ioredis `Cluster` (REDIS_CLUSTER_NODES) fails commands with its own texts: it gave up
  // reconnecting, a producer's command came while it connects, it closed under a command, or
  // slots kept moving / the node a slot maps to is gone.
  /^None of startup nodes is available/,
  /^Cluster isn't ready/,
  /^Cluster is disconnect/,
  /^Too many Cluster redirections/,
];

/**
 * ioredis's `ClusterAllFailedError` ("Failed to refresh slots cache."): no seed node answered
 * `CLUSTER SLOTS`. ioredis does not export the class, so it is matched by name.
 */
const CLUSTER_ALL_FAILED_NAME = 'ClusterAllFailedError';

/**
 * Redis answered with an error saying it cannot serve now (the first word of a Redis error
 * reply is its kind, per the RESP specification): still loading its data set, out of memory,
 * a read-only replica, a master link down, busy with a script, or refusing our login.
 */
const UNAVAILABLE_REPLY_KINDS = new Set(['LOADING', 'OOM', 'READONLY', 'MASTERDOWN', 'BUSY', 'NOAUTH', 'WRONGPASS', 'CLUSTERDOWN', 'TRYAGAIN']);

/**
 * The class name (redis-errors, through ioredis's parser) of a reply that is not RESP at all:
 * the address answers, but not as Redis does (an HTTP server, a TLS port spoken to in plain
 * text …). For the caller it is the same as a Redis that cannot be reached: nothing there can
 * serve, and the fix is the address (REDIS_URL / REDIS_HOST …), not the request.
 */
const PROTOCOL_ERROR_NAME = 'ParserError';

/**
 * True when `err`, thrown by a Redis command or connection, means Redis is unreachable or cannot
 * serve now (a transient condition the caller may retry, e.g. answering 503), rather than a
 * fault of the request or of our code: socket errors (`ECONNREFUSED`, `ECONNRESET` …), a closed
 * or unwritable connection, a command timeout, ioredis's `MaxRetriesPerRequestError`, BullMQ's
 * `ConnectionClosedError`, a protocol error (ioredis's `ParserError`, "Protocol error, got …":
 * the address is not a Redis server), an ioredis `Cluster` that cannot reach or use the cluster
 * (`ClusterAllFailedError`, "None of startup nodes is available", "Cluster isn't ready …"), and
 * Redis replies such as `LOADING`, `OOM`, `READONLY`, `NOAUTH`, `CLUSTERDOWN`.
 */
export function isRedisUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ReplyError) return UNAVAILABLE_REPLY_KINDS.has(err.message.split(' ', 1)[0] ?? '');
  if (
    err instanceof ConnectionClosedError ||
    err.name === 'MaxRetriesPerRequestError' ||
    err.name === PROTOCOL_ERROR_NAME ||
    err.name === CLUSTER_ALL_FAILED_NAME
  ) {
    return true;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return IOREDIS_CONNECTION_MESSAGES.some((pattern) => pattern.test(err.message));
}
