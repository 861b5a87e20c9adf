import type { RequestHandler } from 'express';
import type { Logger } from '@jobs/worker-kit';
import { canonicalPath } from './canonical-path';
import type { RefusedWriteLogLimit } from './refused-write-log-limit';

/** `res.locals` key where a guard puts why it refused a request (logged by {@link logRefusedWrites}). */
export const REFUSAL_REASON = 'refusalReason';

/** Statuses of a refused write: forbidden, method not allowed (Bull Board's read-only board), rate limited. */
const REFUSED = new Set([403, 405, 429]);

/**
 * Logs each refused write (any method but GET/HEAD answered 403, 405 or 429) as one warn line
 * `dashboard write refused` with `user` ("anonymous" when none), `role`, `method`, the canonical
 * `path` (see `canonicalPath`), `status`, `reason` (what the refusing guard put in
 * `res.locals[REFUSAL_REASON]`, else the status's meaning) and `ip`; `suppressed` counts the
 * lines `limit` left out for that address in its previous window. Accepted writes have their own
 * `dashboard write` line; refused logins their own `login refused` lines (login is mounted before).
 */
export function logRefusedWrites(log: Logger, limit: RefusedWriteLogLimit): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.once('finish', () => {
      if (!REFUSED.has(res.statusCode)) return;
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      const decision = limit.admit(ip);
      if (!decision.log) return;
      const fallback = res.statusCode === 405 ? 'method not allowed' : res.statusCode === 429 ? 'rate limited' : 'forbidden';
      log.warn(
        {
          user: res.locals['user'] ?? 'anonymous',
          role: res.locals['role'] ?? 'none',
          method: req.method,
          path: canonicalPath(req.path),
          status: res.statusCode,
          reason: res.locals[REFUSAL_REASON] ?? fallback,
          ip,
          ...(decision.suppressed > 0 ? { suppressed: decision.suppressed } : {}),
        },
        'dashboard write refused',
      );
    });
    next();
  };
}
