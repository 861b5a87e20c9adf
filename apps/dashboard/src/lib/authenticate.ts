import type { RequestHandler } from 'express';
import type { DashboardConfig } from '../config';
import { liveSession } from './dashboard-session';
import { matchBearerToken } from './match-bearer-token';

/**
 * Lets a request through with `res.locals.role` (and `res.locals.user`) set from a bearer token
 * or a live session; else answers: API calls (`/api/…`) 401 JSON, pages (GET/HEAD) 302 to the
 * login page with the page as `next`, anything else 401. A wrong or unknown bearer token is 401
 * even with a valid cookie beside it (the client meant the token). An expired session's cookie is cleared.
 * Mounted under the base path (`req.path` relative to it).
 */
export function authenticate(config: Pick<DashboardConfig, 'users' | 'tokens' | 'basePath'>, now: () => number = Date.now): RequestHandler {
  const loginPath = `${config.basePath === '/' ? '' : config.basePath}/login`;
  return (req, res, next) => {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const role = matchBearerToken(authorization, config.tokens);
      if (role) {
        res.locals['role'] = role;
        res.locals['user'] = `token:${role}`;
        return next();
      }
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ error: 'invalid bearer token' });
      return;
    }
    const session = liveSession(req.session, config.users, now());
    if (session) {
      res.locals['role'] = session.role;
      res.locals['user'] = session.user;
      return next();
    }
    if (req.session && !req.session.isNew) req.session = null;
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      res.status(401).json({ error: 'authentication required' });
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(302, `${loginPath}?next=${encodeURIComponent(req.originalUrl)}`);
    } else {
      res.status(401).json({ error: 'authentication required' });
    }
  };
}
