import { appKeyPrefix, type RedisSettings } from '@jobs/queue-contracts';

/** The namespace of the dashboard's own keys under {@link dashboardKeyPrefix}. */
export const DASHBOARD_KEY_NAMESPACE = 'dashboard';

/**
 * The prefix of the dashboard's own Redis keys (the per-user logout markers), through the kit's
 * one rule for an app's keys, `appKeyPrefix(settings, 'workflow', 'dashboard')`:
 * - standalone Redis: `<BULLMQ_PREFIX>:dashboard`, where the markers have always been (nothing
 *   moves on upgrade);
 * - Redis Cluster: `<BULLMQ_PREFIX>:{workflow}:dashboard`: one hash tag for all of them, so any
 *   multi-key command over them runs on one node.
 *
 * The dashboard serves every queue, so none is "its own" and any group would do for its
 * single-key GET/SET; `{workflow}` is the one taken, and documented. The keys are few and small
 * (one GET per user per replica every few seconds): nothing that matters to that master's load.
 * @param settings - `redis` and the configured `prefix` (default `bull`).
 * @throws RangeError in cluster mode when `prefix` holds `{` or `}` (`loadConfig` refuses that first).
 */
export function dashboardKeyPrefix(settings: { readonly redis: RedisSettings; readonly prefix?: string }): string {
  return appKeyPrefix(settings, 'workflow', DASHBOARD_KEY_NAMESPACE);
}
