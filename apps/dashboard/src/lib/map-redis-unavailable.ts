import type { ExpressAdapter } from '@bull-board/express';
import { isRedisUnavailableError } from '@jobs/queue-contracts';
import type { Logger } from '@jobs/worker-kit';
import { REDIS_UNAVAILABLE_ERRORS } from './redis-unavailable-answers';

/** What Bull Board calls with an error its API handler threw, and what it sends back. */
export type BoardErrorHandler = Parameters<ExpressAdapter['setErrorHandler']>[0];

/**
 * Wraps Bull Board's API error handler: an error for which `isRedisUnavailableError` is true (a
 * lost connection, a command timeout, `CLUSTERDOWN`, ioredis's "Too many Cluster redirections" …)
 * becomes 503 `{ "error": "queues unavailable: Redis cannot serve the request now" }` and a
 * warning with the error in the log, instead of Bull Board's 500 carrying ioredis's raw text.
 * Any other error goes to `fallback` (Bull Board's own handler) as before.
 */
export function mapRedisUnavailable(fallback: BoardErrorHandler, log: Logger): BoardErrorHandler {
  return (error) => {
    if (!isRedisUnavailableError(error)) return fallback(error);
    log.warn({ err: error }, 'Bull Board call failed: Redis unavailable, answered 503');
    // Bull Board's status type lists only the codes it uses itself; the adapter sends any.
    return { status: 503 as 500, body: { error: REDIS_UNAVAILABLE_ERRORS.cannotServe } as never };
  };
}
