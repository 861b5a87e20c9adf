import type { DashboardUser } from '../config';
import type { DashboardRole } from './match-bearer-token';

/** What the signed session cookie holds: who logged in, their role, and when the login ends (epoch ms). */
export interface DashboardSession {
  readonly user: string;
  readonly role: DashboardRole;
  readonly exp: number;
}

/**
 * The session read from a cookie when it still counts: well formed, not expired at `now`, and its
 * user still configured with that role (removing a user's hash or changing roles ends their
 * sessions at once, without waiting for `exp`).
 */
export function liveSession(value: unknown, users: readonly DashboardUser[], now: number): DashboardSession | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { user, role, exp } = value as Partial<Record<keyof DashboardSession, unknown>>;
  if (typeof user !== 'string' || (role !== 'admin' && role !== 'viewer') || typeof exp !== 'number') return undefined;
  if (exp <= now || !users.some((u) => u.name === user && u.role === role)) return undefined;
  return { user, role, exp };
}
