import { z } from 'zod';
import { httpUrlSchema } from '@jobs/queue-contracts';
import type { ConfigProblem } from '@jobs/worker-kit';

const PACING_MESSAGE = 'must be below META_PAUSE_AT_PCT (calls are spaced out from the first threshold and stopped at the second)';
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The Meta client's environment variables (a zod object fragment the app merges into its config):
 * - `META_GRAPH_URL`: Graph API origin, default `https://graph.facebook.com` (the SDK's own); the
 *   API version is the SDK's (`v24.0` for facebook-nodejs-business-sdk 24).
 * - `META_CONVERSION_ACTION_TYPES`: comma-separated `actions` / `action_values` types counted as
 *   conversions, default `offsite_conversion.fb_pixel_purchase` (purchases reported by the
 *   Meta pixel: what a web shop counts as a sale). Meta reports one purchase under several
 *   overlapping types (`purchase`, `omni_purchase`, `offsite_conversion.fb_pixel_purchase`), so
 *   list types that do not overlap, or they are counted twice.
 * - `META_ASYNC_REPORT_MIN_DAYS`: ranges of at least this many days are fetched through an async
 *   report run (`POST /act_<id>/insights`, then poll), shorter ones synchronously; default 90.
 *   Meta advises async runs for large queries (Insights API, "Asynchronous Jobs"); a sync call
 *   refused as too heavy (100 / 1487534 too much data, 100 / 1504018 or 2 / 1504038 timed
 *   out, code 1 "reduce the amount of data") is also retried as an async run.
 * - `META_PAGE_SIZE`: rows per page (`limit`), default 500.
 * - `META_ACCOUNT_CALLS_PER_SECOND` (default 4) and `META_APP_CALLS_PER_SECOND` (default 40):
 *   spacing of calls per ad account and per app over every worker process. Meta publishes no
 *   per-second limit — its limits are the hourly Business Use Case scores the usage headers
 *   report, which steer the pacing — so these only keep one job from bursting (a 90-day job
 *   makes about a dozen calls).
 * - `META_SLOW_DOWN_AT_PCT` (default 75) / `META_PAUSE_AT_PCT` (default 95): usage (% of the
 *   quota, highest of the headers) from which calls are spaced out more, and at which no call is
 *   made until the headers' reset time; the first must be below the second (refined here, and
 *   checked again by `metaAdsClientConfigFromEnv`, since an app that spreads this fragment's
 *   `.shape` into its own schema drops the refinement).
 */
export const metaEnvSchema = z
  .object({
    META_GRAPH_URL: httpUrlSchema.default('https://graph.facebook.com'),
    META_CONVERSION_ACTION_TYPES: z
      .string()
      .default('offsite_conversion.fb_pixel_purchase')
      .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean))
      .refine((list) => list.length > 0, 'must name at least one action type'),
    META_ASYNC_REPORT_MIN_DAYS: int(1, 1126).default(90),
    META_PAGE_SIZE: int(1, 5000).default(500),
    META_ACCOUNT_CALLS_PER_SECOND: z.coerce.number().positive().max(1000).default(4),
    META_APP_CALLS_PER_SECOND: z.coerce.number().positive().max(10_000).default(40),
    META_SLOW_DOWN_AT_PCT: int(1, 100).default(75),
    META_PAUSE_AT_PCT: int(1, 100).default(95),
  })
  .refine((env) => metaPacingProblem(env) === null, { path: ['META_SLOW_DOWN_AT_PCT'], message: PACING_MESSAGE });

/** The parsed fragment. */
export type MetaEnv = z.infer<typeof metaEnvSchema>;

/**
 * The problem with a slow-down threshold at or above the pause threshold (the spacing between
 * them would be empty or negative), or null when `META_SLOW_DOWN_AT_PCT < META_PAUSE_AT_PCT`.
 */
export function metaPacingProblem(env: { readonly META_SLOW_DOWN_AT_PCT: number; readonly META_PAUSE_AT_PCT: number }): ConfigProblem | null {
  return env.META_SLOW_DOWN_AT_PCT < env.META_PAUSE_AT_PCT ? null : { variable: 'META_SLOW_DOWN_AT_PCT', kind: 'invalid', message: PACING_MESSAGE };
}
