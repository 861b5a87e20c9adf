import { z } from 'zod';
import { calendarDateSchema } from './calendar-date';
import { idSchema } from './common';
import { CONTRACT_LIMITS } from './contract-limits';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Ad platforms: `'google'` (Google Ads API) and `'meta'` (Meta Marketing API), as the seed names them. */
export const adPlatformSchema = z.enum(['google', 'meta']);
/** `'google'` or `'meta'`. */
export type AdPlatform = z.infer<typeof adPlatformSchema>;

/**
 * An inclusive range of calendar days (see `calendarDateSchema`: a `Date` at 00:00 UTC or
 * `'YYYY-MM-DD'`): `{ start, end }` with `start` not after `end` (refused naming
 * `dateRange.start`) and at most `CONTRACT_LIMITS.MAX_AD_DATE_RANGE_DAYS` (1126 days, 37 months:
 * Meta's Ads Insights history) days long, both ends counted (refused naming `dateRange`).
 */
export const adDateRangeSchema = z
  .strictObject({ start: calendarDateSchema, end: calendarDateSchema })
  .superRefine((range, ctx) => {
    // Refinements run even when a date failed above; only compare two real dates.
    if (!(range.start instanceof Date) || !(range.end instanceof Date)) return;
    if (range.start.getTime() > range.end.getTime()) {
      ctx.addIssue({ code: 'custom', message: 'must not be after dateRange.end', path: ['start'] });
      return;
    }
    const days = Math.round((range.end.getTime() - range.start.getTime()) / DAY_MS) + 1;
    if (days > CONTRACT_LIMITS.MAX_AD_DATE_RANGE_DAYS) {
      ctx.addIssue({
        code: 'custom',
        message: `spans ${days} days; at most ${CONTRACT_LIMITS.MAX_AD_DATE_RANGE_DAYS} (37 months, the history Meta's Ads Insights API returns)`,
      });
    }
  });

/**
 * `AD_ANALYSIS` data, as the seed README sends it: campaign metrics of one ad account over an
 * inclusive range of days, then their analysis.
 * - `platform`: `'google'` | `'meta'`; `accountId`: the platform's ad account id (Google Ads
 *   customer id, Meta `act_…`).
 * - `dateRange`: see {@link adDateRangeSchema}.
 * - `campaignIds`: only these campaigns (at most `CONTRACT_LIMITS.MAX_CAMPAIGN_IDS`, 500);
 *   default all of the account's.
 */
export const adAnalysisDataSchema = z.strictObject({
  userId: idSchema,
  platform: adPlatformSchema,
  accountId: idSchema,
  dateRange: adDateRangeSchema,
  campaignIds: z.array(idSchema).max(CONTRACT_LIMITS.MAX_CAMPAIGN_IDS).optional(),
});

/** `AD_ANALYSIS` result: per-campaign metrics and findings. */
export const adAnalysisResultSchema = z.strictObject({
  campaigns: z.array(
    z.strictObject({
      campaignId: z.string(),
      impressions: z.number().nonnegative(),
      clicks: z.number().nonnegative(),
      spend: z.number().nonnegative(),
      conversions: z.number().nonnegative(),
    }),
  ),
  findings: z.array(z.string()),
});
