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
 * `dateRange.start`) and at most `CONTRACT_LIMITS.MAX_AD_DATE_RANGE_DAYS` (1126 days, about 37
 * months) days long, both ends counted (refused naming `dateRange`). How old the days may be is
 * the worker's to check, in the ad account's time zone: days from today on are not analysed (the
 * range is cut at yesterday; a range with no day before today fails naming `dateRange`), and Meta
 * answers insights only for the last 37 months (older days are cut; a Meta range wholly older
 * fails naming `dateRange.start`). See the result's `analysedRange` and `notes`.
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
        message: `spans ${days} days; at most ${CONTRACT_LIMITS.MAX_AD_DATE_RANGE_DAYS} (about 37 months)`,
      });
    }
  });

/**
 * One campaign id of `campaignIds`: digits only (surrounding spaces trimmed), at most 32, leading
 * zeros dropped (`'021000000001'` is campaign `21000000001`). Both platforms' campaign ids are
 * numbers: Google Ads `campaign.id` is an int64, Meta's campaign id a numeric string (Graph object
 * ids), and neither writes leading zeros — kept, such an id would match one campaign on Google
 * (which compares numbers) and none on Meta (which compares strings). A name such as
 * `'campaign-1'` is refused here rather than failing in the worker or matching nothing.
 */
export const adCampaignIdSchema = z
  .string()
  .trim()
  .regex(/^\d{1,32}$/, "must be a campaign id: digits only (Google Ads campaign.id, Meta's numeric campaign id)")
  .transform((id) => id.replace(/^0+(?=\d)/, ''));

/**
 * `AD_ANALYSIS` data, as the seed README sends it: campaign metrics of one ad account over an
 * inclusive range of days, then their analysis.
 * - `platform`: `'google'` | `'meta'`; `accountId`: the platform's ad account id (Google Ads
 *   customer id, Meta `act_…`).
 * - `dateRange`: see {@link adDateRangeSchema}.
 * - `campaignIds`: only these campaigns: 1 to `CONTRACT_LIMITS.MAX_CAMPAIGN_IDS` (500) ids, each
 *   digits only ({@link adCampaignIdSchema}; refused naming `campaignIds.<i>`). Omit it for all of
 *   the account's campaigns; an empty list is refused (it would analyse nothing). Ids the account
 *   does not have are listed in the result's `notes`; when none of them is the account's the job
 *   fails naming `campaignIds`.
 */
export const adAnalysisDataSchema = z.strictObject({
  userId: idSchema,
  platform: adPlatformSchema,
  accountId: idSchema,
  dateRange: adDateRangeSchema,
  campaignIds: z
    .array(adCampaignIdSchema)
    .min(1, 'must name at least one campaign; omit campaignIds for all campaigns')
    .max(CONTRACT_LIMITS.MAX_CAMPAIGN_IDS)
    .optional(),
});

const isoDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be 'YYYY-MM-DD'");
const count = z.number().int().nonnegative();
const micros = z.number().int().nonnegative();
const ratio = z.number().finite().nullable();

/**
 * The KPIs of one campaign (or the account) over one period. Money is whole **micros** of the
 * account currency (1 000 000 = one unit: Google Ads' own unit, and exact, so totals add up to
 * the micro); rounded only when displayed. Ratios are `null` when their denominator is zero
 * (never `NaN` or `Infinity`).
 * - `impressions`, `clicks`: counts; `conversions`: may be fractional (Google's data-driven
 *   attribution); `costMicros`, `conversionValueMicros`: micros.
 * - `ctr` = clicks / impressions; `cvr` = conversions / clicks; `roas` = conversion value / cost
 *   (fractions, not percentages).
 * - `cpcMicros` = cost / clicks; `cpmMicros` = cost / impressions × 1000; `cpaMicros` = cost /
 *   conversions (micros, not rounded).
 */
export const adKpisSchema = z.strictObject({
  impressions: count,
  clicks: count,
  costMicros: micros,
  conversions: z.number().finite().nonnegative(),
  conversionValueMicros: micros,
  ctr: ratio,
  cpcMicros: ratio,
  cpmMicros: ratio,
  cvr: ratio,
  cpaMicros: ratio,
  roas: ratio,
});
/** See {@link adKpisSchema}. */
export type AdKpis = z.infer<typeof adKpisSchema>;

/** Names of the KPIs in {@link adKpisSchema}, in display order. */
export const AD_KPI_NAMES = Object.freeze([
  'impressions',
  'clicks',
  'costMicros',
  'conversions',
  'conversionValueMicros',
  'ctr',
  'cpcMicros',
  'cpmMicros',
  'cvr',
  'cpaMicros',
  'roas',
] as const);
/** One KPI's name. */
export type AdKpiName = (typeof AD_KPI_NAMES)[number];

/**
 * Change of one KPI from the previous period to this one: `absolute` = current − previous;
 * `relative` = absolute / previous (a fraction: 0.25 is +25 %), `null` when previous is 0. Both
 * `null` when either side is `null` or there is no previous period.
 */
export const adKpiChangeSchema = z.strictObject({ absolute: ratio, relative: ratio });
/** Per-KPI change, keyed by KPI name. */
export const adKpiChangesSchema = z.strictObject(
  Object.fromEntries(AD_KPI_NAMES.map((name) => [name, adKpiChangeSchema])) as Record<AdKpiName, typeof adKpiChangeSchema>,
);
/** See {@link adKpiChangesSchema}. */
export type AdKpiChanges = z.infer<typeof adKpiChangesSchema>;

/**
 * Budget pacing of a campaign with a daily budget: `dailyBudgetMicros` (the latest the platform
 * reports), `daysAtBudget` (days whose cost reached at least 95 % of it), `medianExhaustedHour`
 * (0–23, the account-time hour by which the cost of a capped day reached the budget, median over
 * the capped days; null when no day was capped or hours were not available) and `utilisation`
 * (period cost / (budget × days)).
 */
export const adBudgetPacingSchema = z.strictObject({
  dailyBudgetMicros: micros,
  daysAtBudget: count,
  medianExhaustedHour: z.number().min(0).max(24).nullable(),
  utilisation: ratio,
});

/** The most campaigns listed in a result (by cost, descending); the rest are counted in `campaignsOmitted` and are in the HTML report. */
export const MAX_RESULT_CAMPAIGNS = 50;
/** The most anomalies listed in a result (by score, descending). */
export const MAX_RESULT_ANOMALIES = 100;
/** The most recommendations listed in a result (by the cost they concern, descending). */
export const MAX_RESULT_RECOMMENDATIONS = 50;
/** The most `notes` in a result. */
export const MAX_RESULT_NOTES = 20;
/** The longest note of a result, in characters (UTF-16 code units). */
export const MAX_RESULT_NOTE_CHARS = 500;

/**
 * A run of days on which one daily series of one campaign (or the account, with `campaignId`
 * null) lay outside its robust band (see the ads worker's ANALYSIS.md; short gaps of days back in
 * the band — at most a week, and no longer than the run so far — are bridged, so one lasting
 * change is one anomaly): `metric` (`cost`, `conversions`, `cpa`), `direction`, `startDate` and
 * `endDate` (first and last day out of band), `days` (how many days were out of band: at most
 * `endDate − startDate + 1`), `expected` (the series' median) and `observed` (the value furthest
 * out), both in the metric's unit (micros for money), and `score` (the largest |modified
 * z-score| of the run).
 */
export const adAnomalySchema = z.strictObject({
  campaignId: z.string().nullable(),
  metric: z.enum(['cost', 'conversions', 'cpa']),
  direction: z.enum(['up', 'down']),
  startDate: isoDaySchema,
  endDate: isoDaySchema,
  days: z.number().int().positive(),
  expected: z.number().finite(),
  observed: z.number().finite(),
  score: z.number().finite(),
});
/** See {@link adAnomalySchema}. */
export type AdAnomaly = z.infer<typeof adAnomalySchema>;

/**
 * One recommendation: `rule` (its id in ANALYSIS.md), the campaign it is about (null for the
 * account), a one-line `title`, the `reason` in words, and `evidence`: the numbers behind it by
 * name (micros for money, fractions for ratios).
 */
export const adRecommendationSchema = z.strictObject({
  rule: z.string(),
  campaignId: z.string().nullable(),
  title: z.string(),
  reason: z.string(),
  evidence: z.record(z.string(), z.union([z.number().finite(), z.string(), z.null()])),
});
/** See {@link adRecommendationSchema}. */
export type AdRecommendation = z.infer<typeof adRecommendationSchema>;

/** One campaign's line of the result. */
export const adCampaignSummarySchema = z.strictObject({
  campaignId: z.string(),
  name: z.string(),
  /** The platform's status word (`ENABLED`, `PAUSED`, `ACTIVE` …). */
  status: z.string(),
  kpis: adKpisSchema,
  /** Null when the campaign had no rows in the previous period. */
  previous: adKpisSchema.nullable(),
  change: adKpiChangesSchema,
  /** Null when the platform reports no daily budget for it. */
  budget: adBudgetPacingSchema.nullable(),
});

/** Where the full HTML report is: see `getAdAnalysisReport`. */
export const adReportRefSchema = z.strictObject({
  /** Redis key holding the gzip-compressed HTML. */
  key: z.string(),
  /** Size of the HTML before compression, and as stored. */
  htmlBytes: count,
  storedBytes: count,
  /** ISO-8601; the key expires then. */
  expiresAt: z.string(),
  /** Campaigns left out of the report's charts (they stay in its tables). */
  campaignsNotCharted: count,
});
/** See {@link adReportRefSchema}. */
export type AdReportRef = z.infer<typeof adReportRefSchema>;

/**
 * `AD_ANALYSIS` result: a bounded summary (at most {@link MAX_RESULT_CAMPAIGNS} campaigns,
 * {@link MAX_RESULT_ANOMALIES} anomalies, {@link MAX_RESULT_RECOMMENDATIONS} recommendations;
 * a few hundred KiB at most) and where the full HTML report is. Days are calendar days of the
 * ad account's own time zone (`timeZone`); money is micros of `currency` (ISO 4217).
 */
export const adAnalysisResultSchema = z.strictObject({
  platform: adPlatformSchema,
  accountId: z.string(),
  accountName: z.string().nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  timeZone: z.string(),
  /** The job's `dateRange`, as asked. */
  dateRange: z.strictObject({ start: isoDaySchema, end: isoDaySchema }),
  /**
   * The days analysed: `dateRange` cut at yesterday in `timeZone` (today and later days are
   * incomplete), and for Meta at its insights history (37 months); `notes` says why when it
   * differs from `dateRange`. KPIs, series and anomalies are over these days.
   */
  analysedRange: z.strictObject({ start: isoDaySchema, end: isoDaySchema }),
  /**
   * The period compared with: as many days as `analysedRange`, ending the day before it; for
   * Meta cut at its 37-month history (then shorter, with a note), or wholly beyond it (not
   * fetched: `previousTotals` null, with a note).
   */
  previousRange: z.strictObject({ start: isoDaySchema, end: isoDaySchema }),
  /**
   * What the analysis changed about the request, one sentence each (range cut at yesterday,
   * previous period cut or absent …): at most {@link MAX_RESULT_NOTES}, each at most
   * {@link MAX_RESULT_NOTE_CHARS} characters. Empty when the request was analysed as asked.
   */
  notes: z.array(z.string().max(MAX_RESULT_NOTE_CHARS)).max(MAX_RESULT_NOTES),
  totals: adKpisSchema,
  /** Null when the platform had no data for the previous period, or it was not fetched (see `notes`). */
  previousTotals: adKpisSchema.nullable(),
  change: adKpiChangesSchema,
  campaigns: z.array(adCampaignSummarySchema).max(MAX_RESULT_CAMPAIGNS),
  campaignsOmitted: count,
  anomalies: z.array(adAnomalySchema).max(MAX_RESULT_ANOMALIES),
  recommendations: z.array(adRecommendationSchema).max(MAX_RESULT_RECOMMENDATIONS),
  /** Null when the report could not be stored (the summary is still complete). */
  report: adReportRefSchema.nullable(),
});
/** See {@link adAnalysisResultSchema}. */
export type AdAnalysisResult = z.infer<typeof adAnalysisResultSchema>;
