import type { RequestHandler } from 'express';
import { REFUSAL_REASON } from './log-refused-writes';

/**
 * Refuses (403 JSON) a request that changes something (any method but GET/HEAD/OPTIONS) when it
 * carries an `Origin` header whose host is not the request's `Host`: a cross-site form or
 * script, on top of the session cookie's `SameSite=Strict`. Without `Origin` (curl, a bearer
 * client) the request passes; browsers send it on every cross-origin POST/PUT/DELETE.
 */
export const sameOriginCheck: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const origin = req.headers.origin;
  if (origin === undefined) return next();
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host !== undefined && host === req.headers.host) return next();
  res.locals[REFUSAL_REASON] = 'cross-origin';
  res.status(403).json({ error: 'cross-origin request refused' });
};
