import { ConnectionClosedError } from 'bullmq';
import { ReplyError } from 'ioredis';

/** Socket error codes meaning Redis cannot be reached or the connection broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Redis reply kinds (first word of an error reply) meaning it cannot serve now or refused our login. */
const UNAVAILABLE_REPLIES = new Set(['LOADING', 'MASTERDOWN', 'BUSY', 'NOAUTH', 'WRONGPASS', 'CLUSTERDOWN', 'TRYAGAIN']);

/**
 * ioredis's connection failures carry no code, only text (BullMQ matches them the same way):
 * a closed or unwritable connection, and a command left unanswered past `commandTimeout`.
 */
const CONNECTION_MESSAGES = [/^Stream isn't writeable/, /^Connection is closed\.?$/, /^Command timed out/];

/**
 * True when `err` means the CLI could not talk to Redis: a socket error (refused, reset, timed
 * out, unknown host), a closed connection, ioredis giving up (`MaxRetriesPerRequestError`), a
 * command timeout, or a reply saying Redis cannot serve (LOADING, NOAUTH …).
 *
 * The contracts have the same test (`isRedisUnavailableError`) but do not export it; this
 * follows it, plus ioredis's command timeout, which only the CLI sets.
 */
export function isRedisUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ReplyError) return UNAVAILABLE_REPLIES.has(err.message.split(' ', 1)[0] ?? '');
  if (err instanceof ConnectionClosedError || err.name === 'MaxRetriesPerRequestError') return true;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(err.message));
}
