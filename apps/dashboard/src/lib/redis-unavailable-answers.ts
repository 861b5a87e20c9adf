import type { Response } from 'express';

/** Seconds a client is told to wait (`Retry-After`) before asking again while Redis is away. */
export const REDIS_RETRY_AFTER_SECONDS = 5;

/**
 * The `error` texts of the dashboard's 503 answers to Bull Board API calls while Redis cannot
 * serve them (bodies are `{ "error": <text> }`, as every other JSON error of the dashboard):
 * - `noConnection`: the dashboard has no connection to Redis (`redisGate`), answered at once;
 * - `cannotServe`: Bull Board's call failed with an error `isRedisUnavailableError` recognises
 *   (a connection lost, `CLUSTERDOWN`, ioredis's "Too many Cluster redirections" …);
 * - `noAnswer(ms, write)`: Bull Board had not answered within the ceiling (`boardAnswerCeiling`);
 *   for a write the change may still be applied later.
 */
export const REDIS_UNAVAILABLE_ERRORS = Object.freeze({
  noConnection: 'queues unavailable: no connection to Redis',
  cannotServe: 'queues unavailable: Redis cannot serve the request now',
  noAnswer: (ms: number, write: boolean) => `queues unavailable: Redis did not answer within ${ms} ms${write ? '; the change may still be applied' : ''}`,
});

/** Answers `res` 503 with `Retry-After` and `{ error }`. */
export function answerRedisUnavailable(res: Response, error: string): void {
  res.setHeader('Retry-After', String(REDIS_RETRY_AFTER_SECONDS));
  res.status(503).json({ error });
}
