import type { RequestHandler } from 'express';
import { isApiPath } from './canonical-path';
import { answerRedisUnavailable, REDIS_UNAVAILABLE_ERRORS } from './redis-unavailable-answers';

/**
 * Answers a Bull Board API call (`/api/…`, any spelling) 503 at once,
 * `{ "error": "queues unavailable: no connection to Redis" }` with `Retry-After: 5`, while
 * `isRedisReady()` says false; anything else goes on. Without it such a call would wait forever:
 * a BullMQ `Queue` waits for its connection to be ready before every command, and one that never
 * comes (Redis down, a cluster with no reachable seed) is never given up on. Pages pass: Bull
 * Board's page and static files need no Redis, and its API calls then meet this gate.
 * @param isRedisReady - synchronous and cheap (e.g. the dashboard probe connection's
 *   `status === 'ready'`): asked on every API call.
 */
export function redisGate(isRedisReady: () => boolean): RequestHandler {
  return (req, res, next) => {
    if (!isApiPath(req.path) || isRedisReady()) {
      next();
      return;
    }
    answerRedisUnavailable(res, REDIS_UNAVAILABLE_ERRORS.noConnection);
  };
}
