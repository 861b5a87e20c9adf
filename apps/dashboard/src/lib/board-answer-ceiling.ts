import type { RequestHandler, Response } from 'express';
import type { Logger } from '@jobs/worker-kit';
import { isApiPath } from './canonical-path';
import { answerRedisUnavailable, REDIS_UNAVAILABLE_ERRORS } from './redis-unavailable-answers';

/** How long a Bull Board API call may take before the dashboard answers 503 itself, in ms. */
export interface BoardAnswerCeiling {
  /** GET and HEAD calls (lists, counts, one job, logs): Bull Board pages them, a healthy Redis answers in well under a second. */
  readonly readMs: number;
  /** Every other call (retry, promote, remove, clean, pause …): "retry all" or "clean" on a large queue runs many batches. */
  readonly writeMs: number;
}

/**
 * Defaults of {@link BoardAnswerCeiling}: reads 10 s, writes 30 s. Both stay below the 60 s a
 * reverse proxy commonly waits (nginx's `proxy_read_timeout`), so the client gets the
 * dashboard's JSON rather than the proxy's 504 or a hang.
 */
export const BOARD_ANSWER_CEILING_DEFAULTS: BoardAnswerCeiling = Object.freeze({ readMs: 10_000, writeMs: 30_000 });

/**
 * Bounds every Bull Board API call (`/api/…`, any spelling): when no answer has started after the
 * call's ceiling (`readMs` for GET/HEAD, `writeMs` otherwise) it answers 503 with `Retry-After: 5`
 * and `{ "error": "queues unavailable: Redis did not answer within <ms> ms" }` (for a write
 * followed by "; the change may still be applied": the call goes on and may still complete), and
 * logs a warning. Bull Board's own answer, should it come later, is dropped (logged at warn with
 * its status). This covers what the gate on the connection (`redisGate`) cannot see: a Redis or a
 * cluster master that holds the connection open but does not answer, a queue's own connection
 * still reconnecting. Pages are not bounded (they need no Redis).
 */
export function boardAnswerCeiling(ceiling: BoardAnswerCeiling, log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!isApiPath(req.path)) {
      next();
      return;
    }
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    const ms = write ? ceiling.writeMs : ceiling.readMs;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      log.warn({ method: req.method, path: req.path, ceilingMs: ms }, 'Bull Board did not answer in time: answered 503');
      answerRedisUnavailable(res, REDIS_UNAVAILABLE_ERRORS.noAnswer(ms, write));
      dropLateAnswer(res, () => log.warn({ method: req.method, path: req.path, status: res.statusCode }, 'Bull Board answered after the ceiling: its answer was dropped'));
    }, ms);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/** Makes `res.json` and `res.send` no-ops (the answer was sent), calling `onDropped` at the first. */
function dropLateAnswer(res: Response, onDropped: () => void): void {
  let said = false;
  const drop = () => {
    if (!said) {
      said = true;
      onDropped();
    }
    return res;
  };
  res.json = drop;
  res.send = drop;
}
