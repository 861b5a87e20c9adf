import type { RequestHandler } from 'express';
import type { DashboardConfig } from '../config';
import { isApiPath } from './canonical-path';
import { liveSession } from './dashboard-session';
import { matchBearerToken } from './match-bearer-token';
import type { SessionsValidAfter } from './sessions-valid-after';

const BEARER_SCHEME = /^Bearer\s/i;

/**
 * Lets a request through with `res.locals.role` (and `res.locals.user`) set from a bearer token
 * or a live session; else answers: API calls (`/api/…` in any case or spelling) 401 JSON, pages
 * (GET/HEAD) 302 to the login page with the page as `next`, anything else 401.
 *
 * Only an `Authorization: Bearer …` header is a token attempt: a wrong or unknown bearer token is
 * 401 even with a valid cookie beside it (the client meant the token); any other scheme (Basic
 * from an ingress's own auth) is ignored and the session cookie decides. A session counts when
 * {@link liveSession} says so and it was issued after the user's last logout
 * (`SessionsValidAfter`); when that marker cannot be read the answer is 503 (fail closed).
 * An expired or logged-out session's cookie is cleared. Mounted under the base path.
 */
export function authenticate(config: Pick<DashboardConfig, 'users' | 'tokens' | 'basePath'>, sessions: SessionsValidAfter, now: () => number = Date.now): RequestHandler {
  const loginPath = `${config.basePath === '/' ? '' : config.basePath}/login`;
  return async (req, res, next) => {
    const authorization = req.headers.authorization;
    if (authorization !== undefined && BEARER_SCHEME.test(authorization)) {
      const role = matchBearerToken(authorization, config.tokens);
      if (role) {
        res.locals['role'] = role;
        // Not `token:<role>`: the kit's masker reads `token:` followed by a word as a secret and hides it in the log.
        res.locals['user'] = `${role}-token`;
        return next();
      }
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ error: 'invalid bearer token' });
      return;
    }
    const session = liveSession(req.session, config.users, now());
    if (session) {
      let validAfter: number;
      try {
        validAfter = await sessions.validAfter(session.user);
      } catch {
        res.setHeader('Retry-After', '5');
        res.status(503).json({ error: 'session check unavailable: Redis does not answer' });
        return;
      }
      if (session.iat > validAfter) {
        res.locals['role'] = session.role;
        res.locals['user'] = session.user;
        return next();
      }
    }
    if (req.session && !req.session.isNew) req.session = null;
    if (isApiPath(req.path)) {
      res.status(401).json({ error: 'authentication required' });
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(302, `${loginPath}?next=${encodeURIComponent(req.originalUrl)}`);
    } else {
      res.status(401).json({ error: 'authentication required' });
    }
  };
}
