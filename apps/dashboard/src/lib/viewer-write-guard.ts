import type { RequestHandler } from 'express';
import { REFUSAL_REASON } from './log-refused-writes';

/**
 * Refuses (403 JSON) every request but GET/HEAD by anyone who is not an admin (`res.locals.role`),
 * on every path under the base path, whatever Bull Board would do with it: a read-only board hides
 * the buttons and answers 405 on most writes, but a forged request must not depend on each
 * handler's own check, nor on how the path is spelt (Express routes `/API/…` like `/api/…`, so
 * no path test here at all). Login and logout are mounted before it.
 * Mounted after authentication, on paths relative to the base path.
 */
export const viewerWriteGuard: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD' && res.locals['role'] !== 'admin') {
    res.locals[REFUSAL_REASON] = 'viewer is read-only';
    res.status(403).json({ error: 'read-only: viewers may not change jobs or queues' });
    return;
  }
  next();
};
