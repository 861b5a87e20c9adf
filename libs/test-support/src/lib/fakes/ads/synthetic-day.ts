import type { SyntheticAdAccount, SyntheticDay } from './synthetic-ad-accounts';
import { SYNTHETIC_CAMPAIGN_PROFILES } from './synthetic-campaign-profiles';
import { syntheticUniforms } from './synthetic-uniforms';

/** First and last day with synthetic data (account time zone); zeros outside. */
export const SYNTHETIC_DATA_FIRST_DAY = '2023-01-01';
/** See {@link SYNTHETIC_DATA_FIRST_DAY}. */
export const SYNTHETIC_DATA_LAST_DAY = '2024-12-31';

/** Half-width of the uniform noise on cost (5 %). */
const COST_NOISE = 0.05;
/** Half-width of the uniform noise on CPA, CPM, CTR and order value (3 %). */
const RATE_NOISE = 0.03;
const CENT_MICROS = 10_000;
const ZERO: SyntheticDay = Object.freeze({ impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 });
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One campaign's metrics on one day (`'YYYY-MM-DD'`, account time zone): a pure function of
 * (account, campaign, day), so any range and its previous period are reproducible on their own.
 * All zeros for an unknown campaign, a day without data, or a stopped campaign.
 *
 * An ordinary day: cost = profile cost × (1 ± 5 %) in whole cents (or exactly the daily budget
 * for a `budget-exhausted-by-noon` campaign); conversions = cost / (CPA × (1 ± 3 %)), divided by
 * the factor on `cpa-spike` days, rounded to whole numbers (Meta) or halves (Google);
 * impressions = cost / CPM × 1000 × (1 ± 3 %); clicks = impressions × CTR × (1 ± 3 %);
 * conversion value = conversions × order value × (1 ± 3 %) in whole cents.
 * @throws RangeError when `date` is not `'YYYY-MM-DD'`.
 */
export function syntheticDay(account: SyntheticAdAccount, campaignId: string, date: string): SyntheticDay {
  if (!DAY_PATTERN.test(date)) throw new RangeError(`date must be 'YYYY-MM-DD', got ${JSON.stringify(date)}`);
  const profile = SYNTHETIC_CAMPAIGN_PROFILES[`${account.accountId}/${campaignId}`];
  const campaign = account.campaigns.find((c) => c.campaignId === campaignId);
  if (!profile || !campaign || date < SYNTHETIC_DATA_FIRST_DAY || date > SYNTHETIC_DATA_LAST_DAY) return ZERO;
  const faults = account.faults.filter((f) => f.campaignId === campaignId);
  if (faults.some((f) => f.kind === 'stopped-spending' && date >= f.fromDate)) return ZERO;

  const [u0, u1, u2, u3, u4] = syntheticUniforms(`${account.accountId}|${campaignId}|${date}`, 5);
  const capped = faults.some((f) => f.kind === 'budget-exhausted-by-noon') && campaign.dailyBudgetMicros !== null;
  const costMicros = capped ? (campaign.dailyBudgetMicros as number) : roundToCents(profile.costMicros * (1 + COST_NOISE * u0));

  let rawConversions = costMicros / (profile.cpaMicros * (1 + RATE_NOISE * u1));
  for (const fault of faults) {
    if (fault.kind === 'cpa-spike' && isWithin(date, fault.startDate, fault.days)) rawConversions /= fault.factor;
  }
  const conversions = account.platform === 'meta' ? Math.round(rawConversions) : Math.round(rawConversions * 2) / 2;
  const impressions = Math.round((costMicros / profile.cpmMicros) * 1000 * (1 + RATE_NOISE * u2));
  const clicks = Math.round(impressions * profile.ctr * (1 + RATE_NOISE * u3));
  const conversionValueMicros = roundToCents(conversions * profile.aovMicros * (1 + RATE_NOISE * u4));
  return Object.freeze({ impressions, clicks, costMicros, conversions, conversionValueMicros });
}

function roundToCents(micros: number): number {
  return Math.round(micros / CENT_MICROS) * CENT_MICROS;
}

function isWithin(date: string, startDate: string, days: number): boolean {
  const offset = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / 86_400_000;
  return offset >= 0 && offset < days;
}
