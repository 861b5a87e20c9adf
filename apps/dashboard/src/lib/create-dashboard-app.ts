import type { Queue } from 'bullmq';
import cookieSession from 'cookie-session';
import express, { type ErrorRequestHandler, type Express, Router } from 'express';
import type { Logger } from '@jobs/worker-kit';
import type { DashboardConfig } from '../config';
import { authenticate } from './authenticate';
import { BOARD_ANSWER_CEILING_DEFAULTS, boardAnswerCeiling, type BoardAnswerCeiling } from './board-answer-ceiling';
import { createBoardRouter } from './create-board-router';
import { logRefusedWrites } from './log-refused-writes';
import { loginRoutes } from './login-routes';
import type { LoginRateLimit } from './login-rate-limit';
import type { LoginThrottle } from './login-throttle';
import { maskJsonResponses } from './mask-json-responses';
import { maskedDataWriteGuard } from './masked-data-write-guard';
import { redisGate } from './redis-gate';
import { sameOriginCheck } from './same-origin-check';
import { RefusedWriteLogLimit } from './refused-write-log-limit';
import { securityHeaders } from './security-headers';
import type { SessionsValidAfter } from './sessions-valid-after';
import { viewerWriteGuard } from './viewer-write-guard';
import { withoutThirdPartyFonts } from './without-third-party-fonts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'jobs_dashboard';

/** What {@link createDashboardApp} wires. */
export interface DashboardAppOptions {
  readonly config: DashboardConfig;
  /** One handle per queue of `ALL_QUEUE_NAMES`, owned (and closed) by the caller. */
  readonly queues: readonly Queue[];
  readonly log: Logger;
  readonly throttle?: LoginThrottle;
  readonly rateLimit?: LoginRateLimit;
  /** Per-user "sessions valid after" markers: logout ends every copy of a user's sessions. */
  readonly sessions: SessionsValidAfter;
  /** The clock of sessions, in epoch ms; default `Date.now` (tests move it). */
  readonly now?: () => number;
  /** Budget of `dashboard write refused` lines per address; default 10 a minute on `now`. */
  readonly refusedWriteLogLimit?: RefusedWriteLogLimit;
  /** Whether the dashboard has a connection to Redis now (synchronous, asked per API call): else API calls get 503 at once. */
  readonly redisReady: () => boolean;
  /** How long a Bull Board API call may take before a 503; default {@link BOARD_ANSWER_CEILING_DEFAULTS} (reads 10 s, writes 30 s). */
  readonly boardAnswerCeiling?: BoardAnswerCeiling;
}

/**
 * The dashboard's Express app. Everything answers under `config.basePath` and nothing outside it
 * (404): security headers → signed session cookie (`cookie-session`: stateless, so any replica
 * serves any user; a per-user logout marker in Redis ends copies of it) → login/logout →
 * authentication (bearer token or session) → log of refused writes (rate-limited per address) → viewer write guard (any non-GET/HEAD) → no data edits/adds (the browser holds masked data) → same-origin check of writes → secret masking of JSON →
 * Redis gate (API calls 503 at once while `redisReady()` is false) → answer ceiling (an API call
 * not answered within `boardAnswerCeiling` gets 503) → the role's Bull Board (API calls failing
 * because Redis is unavailable: 503). Every such 503 is `{ "error": "queues unavailable: …" }`
 * with `Retry-After: 5`; without these a bearer-token call waited forever while Redis was away
 * (a cookie session meets the logout-marker check first, which fails at once).
 *
 * `trust proxy` is set for loopback and private addresses (an ingress or sidecar in the cluster):
 * the client address of the login throttle and the `https` of a `Secure` cookie come from its
 * `X-Forwarded-*` headers, never from a public client's. Since anything on a private address can
 * then pick its own client address, the throttle also keeps a budget per user across addresses.
 *
 * Path guards compare the canonical path (`canonicalPath`: case, percent escapes, `//`, trailing
 * `/`, `;` parameters), as Express's routers here match case-insensitively.
 */
export function createDashboardApp(options: DashboardAppOptions): Express {
  const { config, queues, log } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  const boards = { admin: createBoardRouter(queues, 'admin', config.basePath, log), viewer: createBoardRouter(queues, 'viewer', config.basePath, log) };

  const inside = Router();
  inside.use(securityHeaders);
  inside.use(
    cookieSession({
      name: SESSION_COOKIE,
      keys: [config.sessionSecret],
      path: config.basePath,
      httpOnly: true,
      sameSite: 'strict',
      secure: config.cookieSecure,
      maxAge: config.sessionTtlMs,
    }),
  );
  inside.use(loginRoutes({ config, log, throttle: options.throttle, rateLimit: options.rateLimit, sessions: options.sessions, now: options.now }));
  inside.use(authenticate(config, options.sessions, options.now));
  inside.use(logRefusedWrites(log, options.refusedWriteLogLimit ?? new RefusedWriteLogLimit({ now: options.now })));
  inside.use(viewerWriteGuard);
  inside.use(maskedDataWriteGuard);
  inside.use(sameOriginCheck);
  // Who changed what: every write that got this far (retry, remove, clean, pause …), with its answer.
  inside.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.once('finish', () => log.info({ user: res.locals['user'], role: res.locals['role'], method: req.method, path: req.path, status: res.statusCode }, 'dashboard write'));
    }
    next();
  });
  inside.use(maskJsonResponses);
  inside.use(withoutThirdPartyFonts);
  inside.use(redisGate(options.redisReady));
  inside.use(boardAnswerCeiling(options.boardAnswerCeiling ?? BOARD_ANSWER_CEILING_DEFAULTS, log));
  inside.use((req, res, next) => (res.locals['role'] === 'admin' ? boards.admin : boards.viewer)(req, res, next));

  app.use(config.basePath, inside);
  app.use((_req, res) => {
    res.status(404).type('text').send('not found\n');
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    log.error({ err, method: req.method, path: req.path }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}
