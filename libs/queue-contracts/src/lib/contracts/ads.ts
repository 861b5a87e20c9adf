import { z } from 'zod';
import { dateSchema, idSchema } from './common';

/** Ad platforms: Google Ads API and Meta Marketing API. */
export const adPlatformSchema = z.enum(['google_ads', 'meta']);

/** `AD_ANALYSIS` data: campaign metrics for an inclusive date range, then their analysis. */
export const adAnalysisDataSchema = z
  .object({
    userId: idSchema,
    platform: adPlatformSchema,
    adAccountId: idSchema,
    campaignIds: z.array(idSchema).max(500).optional(),
    dateRange: z.object({ startDate: dateSchema, endDate: dateSchema }),
  })
  .refine((d) => d.dateRange.startDate.getTime() <= d.dateRange.endDate.getTime(), {
    message: 'startDate must not be after endDate',
    path: ['dateRange', 'startDate'],
  });

/** `AD_ANALYSIS` result: per-campaign metrics and findings. */
export const adAnalysisResultSchema = z.object({
  campaigns: z.array(
    z.object({
      campaignId: z.string(),
      impressions: z.number().nonnegative(),
      clicks: z.number().nonnegative(),
      spend: z.number().nonnegative(),
      conversions: z.number().nonnegative(),
    }),
  ),
  findings: z.array(z.string()),
});
