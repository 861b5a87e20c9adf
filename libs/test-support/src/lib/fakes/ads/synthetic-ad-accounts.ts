// Four ad accounts with deterministic daily data and known faults, shared by the ads worker's
// fake Google Ads and Meta servers, its analysis tests and the demo.

/**
 * A fault injected into one campaign's synthetic data.
 * - `cpa-spike`: on `days` days from `startDate`, conversions (and their value) are divided by
 *   `factor` while cost is unchanged, so CPA is multiplied by `factor`.
 * - `stopped-spending`: from `fromDate` on, every metric is zero (the platforms then send no row).
 * - `budget-exhausted-by-noon`: every day, cost equals the campaign's daily budget, all of it spent
 *   in the hours before `hour` (account time) and nothing after.
 */
export type SyntheticFault =
  | { readonly kind: 'cpa-spike'; readonly campaignId: string; readonly startDate: string; readonly days: number; readonly factor: number }
  | { readonly kind: 'stopped-spending'; readonly campaignId: string; readonly fromDate: string }
  | { readonly kind: 'budget-exhausted-by-noon'; readonly campaignId: string; readonly hour: number };

/** A campaign of a synthetic account, as the platforms list it. */
export interface SyntheticCampaign {
  /** Digits (Google campaign id; Meta campaign id). */
  readonly campaignId: string;
  readonly name: string;
  /** The platform's word: Google `ENABLED`/`PAUSED`, Meta `ACTIVE`/`PAUSED`. */
  readonly status: string;
  /** Micros of the account currency, whole cents; null for a campaign without a daily budget. */
  readonly dailyBudgetMicros: number | null;
}

/** A synthetic ad account: what the platform says about it and which faults its data carries. */
export interface SyntheticAdAccount {
  readonly platform: 'google' | 'meta';
  /** Google: 10 digits; Meta: `act_<digits>`. */
  readonly accountId: string;
  readonly name: string;
  /** ISO 4217. */
  readonly currency: string;
  /** IANA zone; the days of the data are this zone's days. */
  readonly timeZone: string;
  readonly campaigns: readonly SyntheticCampaign[];
  readonly faults: readonly SyntheticFault[];
}

/**
 * One campaign's metrics on one day. Money in micros of the account currency, whole cents
 * (multiples of 10 000); conversions whole numbers on Meta, multiples of 0.5 on Google.
 */
export interface SyntheticDay {
  readonly impressions: number;
  readonly clicks: number;
  readonly costMicros: number;
  readonly conversions: number;
  readonly conversionValueMicros: number;
}

const UNIT = 1_000_000;

/**
 * The synthetic accounts. Data exists for 2023-01-01..2024-12-31 (zeros outside); the faults
 * are in January 2024, the seed's range.
 * - google `1234567890` (EUR, Europe/Berlin): CPA ×3 on 2024-01-15..17 in `21000000001`; `21000000002`
 *   stops spending from 2024-01-22; `21000000003` exhausts its budget by 12:00 every day;
 *   `21000000004` clean.
 * - google `9876543210` (USD, America/New_York): clean, 3 campaigns, `22000000002` without a budget.
 * - meta `act_1234567890` (USD, America/Los_Angeles): CPA ×3 on 2024-01-08..10 in
 *   `23851000000000001`; `23851000000000002` stops from 2024-01-25; `23851000000000003` exhausts
 *   its budget by 12:00 every day; `23851000000000004` clean.
 * - meta `act_9876543210` (EUR, Europe/Paris): clean, 3 campaigns, plus `23852000000000004`
 *   (paused) with no impressions at all, for the zero-denominator cases.
 */
export const SYNTHETIC_AD_ACCOUNTS: readonly SyntheticAdAccount[] = deepFreeze([
  {
    platform: 'google',
    accountId: '1234567890',
    name: 'Acme Shoes (Google)',
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    campaigns: [
      { campaignId: '21000000001', name: 'Brand – Search', status: 'ENABLED', dailyBudgetMicros: 600 * UNIT },
      { campaignId: '21000000002', name: 'Generic – Running shoes', status: 'ENABLED', dailyBudgetMicros: 700 * UNIT },
      { campaignId: '21000000003', name: 'Shopping – All products', status: 'ENABLED', dailyBudgetMicros: 200 * UNIT },
      { campaignId: '21000000004', name: 'Display – Remarketing', status: 'ENABLED', dailyBudgetMicros: 250 * UNIT },
    ],
    faults: [
      { kind: 'cpa-spike', campaignId: '21000000001', startDate: '2024-01-15', days: 3, factor: 3 },
      { kind: 'stopped-spending', campaignId: '21000000002', fromDate: '2024-01-22' },
      { kind: 'budget-exhausted-by-noon', campaignId: '21000000003', hour: 12 },
    ],
  },
  {
    platform: 'google',
    accountId: '9876543210',
    name: 'Birch Furniture (Google)',
    currency: 'USD',
    timeZone: 'America/New_York',
    campaigns: [
      { campaignId: '22000000001', name: 'Search – Core', status: 'ENABLED', dailyBudgetMicros: 800 * UNIT },
      { campaignId: '22000000002', name: 'Performance Max', status: 'ENABLED', dailyBudgetMicros: null },
      { campaignId: '22000000003', name: 'YouTube – Awareness', status: 'ENABLED', dailyBudgetMicros: 250 * UNIT },
    ],
    faults: [],
  },
  {
    platform: 'meta',
    accountId: 'act_1234567890',
    name: 'Acme Shoes (Meta)',
    currency: 'USD',
    timeZone: 'America/Los_Angeles',
    campaigns: [
      { campaignId: '23851000000000001', name: 'Prospecting – Lookalike', status: 'ACTIVE', dailyBudgetMicros: 1000 * UNIT },
      { campaignId: '23851000000000002', name: 'Retargeting – Cart', status: 'ACTIVE', dailyBudgetMicros: 700 * UNIT },
      { campaignId: '23851000000000003', name: 'Advantage+ Shopping', status: 'ACTIVE', dailyBudgetMicros: 250 * UNIT },
      { campaignId: '23851000000000004', name: 'Video – Brand story', status: 'ACTIVE', dailyBudgetMicros: 200 * UNIT },
    ],
    faults: [
      { kind: 'cpa-spike', campaignId: '23851000000000001', startDate: '2024-01-08', days: 3, factor: 3 },
      { kind: 'stopped-spending', campaignId: '23851000000000002', fromDate: '2024-01-25' },
      { kind: 'budget-exhausted-by-noon', campaignId: '23851000000000003', hour: 12 },
    ],
  },
  {
    platform: 'meta',
    accountId: 'act_9876543210',
    name: 'Birch Furniture (Meta)',
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    campaigns: [
      { campaignId: '23852000000000001', name: 'Prospecting – Broad', status: 'ACTIVE', dailyBudgetMicros: 700 * UNIT },
      { campaignId: '23852000000000002', name: 'Retargeting – Visitors', status: 'ACTIVE', dailyBudgetMicros: 300 * UNIT },
      { campaignId: '23852000000000003', name: 'Catalogue sales', status: 'ACTIVE', dailyBudgetMicros: 400 * UNIT },
      { campaignId: '23852000000000004', name: 'Spring launch', status: 'PAUSED', dailyBudgetMicros: 100 * UNIT },
    ],
    faults: [],
  },
]);

/** The synthetic account with this platform and id (exact match), or undefined. */
export function findSyntheticAdAccount(platform: 'google' | 'meta', accountId: string): SyntheticAdAccount | undefined {
  return SYNTHETIC_AD_ACCOUNTS.find((account) => account.platform === platform && account.accountId === accountId);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
