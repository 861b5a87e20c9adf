import type { DashboardUser } from '../config';
import type { DashboardRole } from './dashboard-role';

/**
 * What the signed session cookie holds: who logged in, their role, when the login was made (`iat`)
 * and when it ends (`exp`), both epoch ms. `iat` is compared with the user's "sessions valid
 * after" marker (see `SessionsValidAfter`).
 */
export interface DashboardSession {
  readonly user: string;
  readonly role: DashboardRole;
  readonly iat: number;
  readonly exp: number;
}

/**
 * The session read from a cookie when it still counts by itself: well formed (a cookie from before
 * `iat` existed is not: one more login), not expired at `now`, and its user still configured with
 * that role (removing a user's hash or changing roles ends their sessions at once, without
 * waiting for `exp`). A logout elsewhere is checked by the caller.
 */
export function liveSession(value: unknown, users: readonly DashboardUser[], now: number): DashboardSession | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { user, role, iat, exp } = value as Partial<Record<keyof DashboardSession, unknown>>;
  if (typeof user !== 'string' || (role !== 'admin' && role !== 'viewer') || typeof exp !== 'number' || typeof iat !== 'number') return undefined;
  if (exp <= now || !users.some((u) => u.name === user && u.role === role)) return undefined;
  return { user, role, iat, exp };
}
