import { randomBytes } from 'node:crypto';
import express, { type RequestHandler, Router } from 'express';
import type { Logger } from '@jobs/worker-kit';
import type { DashboardConfig } from '../config';
import { liveSession } from './dashboard-session';
import { LoginRateLimit } from './login-rate-limit';
import { LoginThrottle } from './login-throttle';
import { OneAtATime } from './one-at-a-time';
import { verifyPassword, type PasswordHash } from './password-hash';
import { renderLoginPage } from './render-login-page';
import { safeNextPath } from './safe-next-path';
import { sameOriginCheck } from './same-origin-check';
import type { SessionsValidAfter } from './sessions-valid-after';

/** The one message a failed login shows: it never says whether the user exists. */
export const LOGIN_FAILED_MESSAGE = 'Wrong user name or password.';
/** What a user sees logging in over plain http while cookies are `Secure`: the browser would drop the cookie. */
export const LOGIN_NEEDS_HTTPS_MESSAGE = 'Open the dashboard over https: its session cookie is sent over https only (DASHBOARD_COOKIE_SECURE=false for plain-http local use).';
/** What a login sees when too many others wait for their password check. */
export const LOGIN_BUSY_MESSAGE = 'Too many logins at once: try again in a moment.';
/** Logins that may wait for the password check behind the running one. */
export const MAX_WAITING_LOGINS = 16;
/** What a client sending logins faster than its address's rate limit sees. */
export const LOGIN_RATE_LIMITED_MESSAGE = 'Too many login attempts from your address: try again in a moment.';
/** What a logout answers (503) when Redis does not take the logout marker: the cookie is cleared all the same. */
export const LOGOUT_INCOMPLETE_MESSAGE = 'Logged out in this browser, but your other sessions could not be ended (Redis does not answer): log out again shortly.\n';
/** What a locked-out user sees. */
export const LOGIN_LOCKED_MESSAGE = 'Too many failed logins: wait a while and try again.';

/** What {@link loginRoutes} needs. */
export interface LoginRoutesOptions {
  readonly config: Pick<DashboardConfig, 'users' | 'basePath' | 'sessionTtlMs' | 'cookieSecure'>;
  readonly log: Logger;
  /** Default: a fresh {@link LoginThrottle} (5 free failures per user+address, 20 per user across addresses, then 1 s doubling up to 15 min). */
  readonly throttle?: LoginThrottle;
  /** Default: a fresh {@link LoginRateLimit} (2 checks in flight and 10 attempts, then 20 per minute, per address). */
  readonly rateLimit?: LoginRateLimit;
  /** Where a logout ends every session of the user. */
  readonly sessions: SessionsValidAfter;
  readonly now?: () => number;
}

/**
 * `GET /login` (the form), `POST /login` (urlencoded `user`, `password`, `next`) and `GET`/`POST
 * /logout`, relative to the base path. A login sets the signed session `{ user, role, iat, exp }` and
 * redirects (303) to `next` when it is inside the base path; a failure answers 401 with the form
 * and one generic message, is logged with user and address (never the password) and counts
 * towards the per user+address lockout (429 while locked, without checking the password).
 * An unknown user costs one scrypt run as a known one does, so timing does not tell them apart.
 * Before any of that, the address's {@link LoginRateLimit} answers 429 with `Retry-After` to a
 * client over its rate or with too many checks in flight (no scrypt run, no place in the queue).
 * Password checks run one at a time (see {@link OneAtATime}); with {@link MAX_WAITING_LOGINS}
 * already waiting, a login answers 503.
 *
 * Logout ends every session of the caller's user, on every replica and copies of the cookie
 * included (`SessionsValidAfter`), clears the cookie and redirects (303) to the login page. GET is
 * accepted because Bull Board's header links are plain anchors: the cookie is `SameSite=Strict`, so
 * a cross-site GET carries no session and logs nobody out; POST also checks the `Origin`.
 */
export function loginRoutes(options: LoginRoutesOptions): Router {
  const { config, log } = options;
  const throttle = options.throttle ?? new LoginThrottle();
  const rateLimit = options.rateLimit ?? new LoginRateLimit();
  const now = options.now ?? Date.now;
  const base = config.basePath === '/' ? '' : config.basePath;
  const action = `${base}/login`;
  const first = config.users[0]?.passwordHash;
  // Same cost as a real check, never matching: verified against when the user is unknown.
  const decoy: PasswordHash | undefined = first && { ...first, salt: randomBytes(first.salt.length), hash: randomBytes(first.hash.length) };
  const checks = new OneAtATime(MAX_WAITING_LOGINS);
  const router = Router();

  router.get('/login', (req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    res.type('html').send(renderLoginPage({ action, next: safeNextPath(req.query['next'], config.basePath) }));
  });

  router.post('/login', sameOriginCheck, express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }), async (req, res, next) => {
    const ip = req.ip ?? 'unknown';
    const slot = rateLimit.acquire(ip);
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const user = typeof body['user'] === 'string' ? body['user'].trim().slice(0, 128) : '';
      const password = typeof body['password'] === 'string' ? body['password'].slice(0, 1024) : '';
      const target = safeNextPath(body['next'], config.basePath);
      const form = (status: number, error: string) => {
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        res.status(status).type('html').send(renderLoginPage({ action, next: target, user, error }));
      };
      // Before anything costly: a client over its address's rate gets no scrypt run and no place in the queue.
      if (!slot.ok) {
        log.warn({ user, ip, retryAfterMs: slot.retryAfterMs }, 'login refused: address over its rate limit');
        res.setHeader('Retry-After', String(Math.ceil(slot.retryAfterMs / 1000)));
        return form(429, LOGIN_RATE_LIMITED_MESSAGE);
      }
      const lockedForMs = throttle.lockedForMs(user, ip);
      if (lockedForMs > 0) {
        log.warn({ user, ip, lockedForMs }, 'login refused: too many failures');
        res.setHeader('Retry-After', String(Math.ceil(lockedForMs / 1000)));
        return form(429, LOGIN_LOCKED_MESSAGE);
      }
      const account = config.users.find((u) => u.name === user);
      const hash = account?.passwordHash ?? decoy;
      // The lockout is checked again and the outcome recorded inside the serialised check, so a
      // burst of concurrent guesses that all passed the first check still stops at the lockout.
      const outcome = await checks.run(async () => {
        if (throttle.lockedForMs(user, ip) > 0) return { kind: 'locked' as const, lockMs: throttle.lockedForMs(user, ip) };
        const ok = hash !== undefined && password !== '' && (await verifyPassword(password, hash)) && account !== undefined;
        if (!ok) return { kind: 'failed' as const, lockMs: throttle.recordFailure(user, ip) };
        throttle.recordSuccess(user, ip);
        return { kind: 'ok' as const, lockMs: 0 };
      });
      if (outcome === undefined) {
        log.warn({ user, ip }, 'login refused: too many logins waiting');
        res.setHeader('Retry-After', '1');
        return form(503, LOGIN_BUSY_MESSAGE);
      }
      if (outcome.kind === 'locked') {
        log.warn({ user, ip, lockedForMs: outcome.lockMs }, 'login refused: too many failures');
        res.setHeader('Retry-After', String(Math.ceil(outcome.lockMs / 1000)));
        return form(429, LOGIN_LOCKED_MESSAGE);
      }
      if (outcome.kind === 'failed' || !account) {
        log.warn({ user, ip, lockMs: outcome.lockMs }, 'login failed');
        return form(401, LOGIN_FAILED_MESSAGE);
      }
      // cookie-session silently sets no Secure cookie over http: say why instead of looping back here.
      if (config.cookieSecure && !req.secure) {
        log.warn({ user: account.name, ip }, 'login over plain http while DASHBOARD_COOKIE_SECURE=true: no session set');
        return form(400, LOGIN_NEEDS_HTTPS_MESSAGE);
      }
      const issuedAt = now();
      req.session = { user: account.name, role: account.role, iat: issuedAt, exp: issuedAt + config.sessionTtlMs };
      log.info({ user: account.name, role: account.role, ip }, 'logged in');
      res.redirect(303, target);
    } catch (err) {
      next(err);
    } finally {
      if (slot.ok) slot.release();
    }
  });

  const logout: RequestHandler = async (req, res) => {
    const session = liveSession(req.session, config.users, now());
    // This browser's cookie goes whatever happens; only ending the copies needs Redis.
    req.session = null;
    if (session) {
      try {
        await options.sessions.logOutEverywhere(session.user, now());
        log.info({ user: session.user, role: session.role, ip: req.ip }, 'logged out everywhere');
      } catch (err) {
        log.error({ err, user: session.user, ip: req.ip }, 'logout: this browser only, other sessions not ended (Redis does not answer)');
        res.status(503).type('text').send(LOGOUT_INCOMPLETE_MESSAGE);
        return;
      }
    }
    res.redirect(303, action);
  };
  router.get('/logout', logout);
  router.post('/logout', sameOriginCheck, logout);

  return router;
}
