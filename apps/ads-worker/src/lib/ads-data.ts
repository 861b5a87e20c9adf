// The data the ads worker's platform clients hand to the analysis, in one platform-neutral shape.
// Written once so the Google Ads client, the Meta client, the analysis and the report agree.
import type { AdPlatform } from '@jobs/queue-contracts';

/** An inclusive range of calendar days, `'YYYY-MM-DD'` each, in the ad account's time zone. */
export interface DayRange {
  readonly start: string;
  readonly end: string;
}

/** The ad account as the platform describes it. */
export interface AdAccountInfo {
  readonly platform: AdPlatform;
  /** As the job gave it (Google customer id without dashes; Meta `act_<id>`). */
  readonly accountId: string;
  readonly name: string | null;
  /** ISO 4217, e.g. `EUR` (Google `customer.currency_code`, Meta `currency`). */
  readonly currency: string;
  /** IANA zone, e.g. `Europe/Berlin` (Google `customer.time_zone`, Meta `timezone_name`). */
  readonly timeZone: string;
}

/** One campaign of the account. */
export interface CampaignInfo {
  readonly campaignId: string;
  readonly name: string;
  /** The platform's word: Google `ENABLED`/`PAUSED`/`REMOVED`, Meta `ACTIVE`/`PAUSED`/… */
  readonly status: string;
  /**
   * Daily budget in micros of the account currency, or null (no daily budget: a lifetime or
   * shared budget the analysis does not pace). Google `campaign_budget.amount_micros`; Meta
   * `daily_budget` (minor units, i.e. cents for EUR/USD) × 10 000 — converted by the client.
   */
  readonly dailyBudgetMicros: number | null;
}

/**
 * One campaign's metrics on one day (account time zone). Money in whole micros (a safe
 * integer); the clients convert exactly: Google `metrics.cost_micros` as is (an int64 sent as a
 * JSON string), Meta's decimal strings (`spend: "12.34"`) digit by digit, never through a float.
 */
export interface DailyCampaignMetrics {
  readonly campaignId: string;
  readonly date: string;
  readonly impressions: number;
  readonly clicks: number;
  readonly costMicros: number;
  /** May be fractional (Google). */
  readonly conversions: number;
  readonly conversionValueMicros: number;
}

/** Cost of one campaign in one hour (0–23, account time zone) of one day. */
export interface HourlyCampaignCost {
  readonly campaignId: string;
  readonly date: string;
  readonly hour: number;
  readonly costMicros: number;
}

/** What a platform client needs for one job. */
export interface AdsRequestContext {
  readonly userId: string;
  readonly accountId: string;
  /** Aborted when the job is cancelled or the worker shuts down: stop and throw its reason. */
  readonly signal: AbortSignal;
  /** Progress lines for the job log (e.g. "waiting 30 s: Google Ads asked to slow down"). */
  readonly note?: (message: string) => void;
}

/**
 * One platform's API, as the ads worker uses it. Every method resolves the access token through
 * the app's token endpoint, honours the platform's throttling (waiting without using an
 * attempt), and throws the kit's errors: `PermanentJobError` for what retrying cannot fix (no
 * such account, no access, the user must reconnect), `RetryLaterError` for a wait too long to
 * hold the job's slot, anything else for a transient failure (the job's attempts apply).
 */
export interface AdsPlatformClient {
  readonly platform: AdPlatform;
  getAccount(ctx: AdsRequestContext): Promise<AdAccountInfo>;
  /** The account's campaigns (only `campaignIds` when given; ids not found are left out). */
  listCampaigns(ctx: AdsRequestContext, campaignIds?: readonly string[]): Promise<CampaignInfo[]>;
  /**
   * One row per campaign and day that had any impressions, clicks or cost (platforms leave out
   * empty days; the analysis fills them with zeros).
   */
  getDailyMetrics(ctx: AdsRequestContext, range: DayRange, campaignIds?: readonly string[]): Promise<DailyCampaignMetrics[]>;
  /** Hourly cost for the given campaigns on the given days (for budget pacing); may be empty. */
  getHourlyCost(ctx: AdsRequestContext, days: readonly string[], campaignIds: readonly string[]): Promise<HourlyCampaignCost[]>;
}
