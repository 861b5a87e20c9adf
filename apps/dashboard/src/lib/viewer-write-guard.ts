import type { RequestHandler } from 'express';

/**
 * Refuses (403 JSON) every API call but GET/HEAD by a viewer (`res.locals.role`), whatever Bull
 * Board would do with it: a read-only board hides the buttons and answers 405 on most
 * writes, but a forged request must not depend on each handler's own check.
 * Mounted after authentication, on paths relative to the base path.
 */
export const viewerWriteGuard: RequestHandler = (req, res, next) => {
  const write = req.method !== 'GET' && req.method !== 'HEAD';
  if (write && res.locals['role'] !== 'admin' && (req.path === '/api' || req.path.startsWith('/api/'))) {
    res.status(403).json({ error: 'read-only: viewers may not change jobs or queues' });
    return;
  }
  next();
};
