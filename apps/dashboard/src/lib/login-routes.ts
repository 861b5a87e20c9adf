import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import type { Logger } from '@jobs/worker-kit';
import type { DashboardConfig } from '../config';
import { LoginThrottle } from './login-throttle';
import { OneAtATime } from './one-at-a-time';
import { verifyPassword, type PasswordHash } from './password-hash';
import { renderLoginPage } from './render-login-page';
import { safeNextPath } from './safe-next-path';
import { sameOriginCheck } from './same-origin-check';

/** The one message a failed login shows: it never says whether the user exists. */
export const LOGIN_FAILED_MESSAGE = 'Wrong user name or password.';
/** What a user sees logging in over plain http while cookies are `Secure`: the browser would drop the cookie. */
export const LOGIN_NEEDS_HTTPS_MESSAGE = 'Open the dashboard over https: its session cookie is sent over https only (DASHBOARD_COOKIE_SECURE=false for plain-http local use).';
/** What a login sees when too many others wait for their password check. */
export const LOGIN_BUSY_MESSAGE = 'Too many logins at once: try again in a moment.';
/** Logins that may wait for the password check behind the running one. */
export const MAX_WAITING_LOGINS = 16;
/** What a locked-out user sees. */
export const LOGIN_LOCKED_MESSAGE = 'Too many failed logins: wait a while and try again.';

/** What {@link loginRoutes} needs. */
export interface LoginRoutesOptions {
  readonly config: Pick<DashboardConfig, 'users' | 'basePath' | 'sessionTtlMs' | 'cookieSecure'>;
  readonly log: Logger;
  /** Default: a fresh {@link LoginThrottle} (5 free failures, then 1 s doubling up to 15 min). */
  readonly throttle?: LoginThrottle;
  readonly now?: () => number;
}

/**
 * `GET /login` (the form), `POST /login` (urlencoded `user`, `password`, `next`) and `POST
 * /logout`, relative to the base path. A login sets the signed session `{ user, role, exp }` and
 * redirects (303) to `next` when it is inside the base path; a failure answers 401 with the form
 * and one generic message, is logged with user and address (never the password) and counts
 * towards the per user+address lockout (429 while locked, without checking the password).
 * An unknown user costs one scrypt run as a known one does, so timing does not tell them apart.
 * Password checks run one at a time (see {@link OneAtATime}); with {@link MAX_WAITING_LOGINS}
 * already waiting, a login answers 503.
 */
export function loginRoutes(options: LoginRoutesOptions): Router {
  const { config, log } = options;
  const throttle = options.throttle ?? new LoginThrottle();
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
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const user = typeof body['user'] === 'string' ? body['user'].trim().slice(0, 128) : '';
      const password = typeof body['password'] === 'string' ? body['password'].slice(0, 1024) : '';
      const target = safeNextPath(body['next'], config.basePath);
      const ip = req.ip ?? 'unknown';
      const form = (status: number, error: string) => {
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        res.status(status).type('html').send(renderLoginPage({ action, next: target, user, error }));
      };
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
      req.session = { user: account.name, role: account.role, exp: now() + config.sessionTtlMs };
      log.info({ user: account.name, role: account.role, ip }, 'logged in');
      res.redirect(303, target);
    } catch (err) {
      next(err);
    }
  });

  router.post('/logout', sameOriginCheck, (req, res) => {
    req.session = null;
    res.redirect(303, action);
  });

  return router;
}
