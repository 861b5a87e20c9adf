import { createHash, timingSafeEqual } from 'node:crypto';
import type { DashboardToken } from '../config';
import type { DashboardRole } from './dashboard-role';

/**
 * The role a bearer token gives: the token's sha256 compared with each configured hash by
 * `timingSafeEqual` (all of them, so the time taken does not say which matched).
 * @param authorization - the `Authorization` header; only the `Bearer <token>` scheme counts.
 * @returns the role of the matching hash; undefined for no header, another scheme or no match.
 */
export function matchBearerToken(authorization: string | undefined, tokens: readonly DashboardToken[]): DashboardRole | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const digest = createHash('sha256').update(match[1] as string, 'utf8').digest();
  let role: DashboardRole | undefined;
  for (const token of tokens) if (timingSafeEqual(digest, token.sha256) && !role) role = token.role;
  return role;
}
