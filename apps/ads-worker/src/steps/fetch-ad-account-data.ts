import type { AdsPlatformClient, AdsRequestContext, DayRange, HourlyCampaignCost } from '../lib/ads-data';
import type { AdAnalysisInput } from '../lib/analysis/ad-analysis';
import { budgetCappedDays } from '../lib/analysis/budget-pacing';
import type { AdAnalysisPhase } from './ad-analysis-progress';

/** The most (latest) budget-capped days whose hourly cost is fetched: 92, a quarter. */
export const MAX_HOURLY_DAYS = 92;

/** Everything the analysis reads about one account and period, as the platform gave it. */
export type AdAccountData = AdAnalysisInput;

/** What {@link fetchAdAccountData} is asked for. */
export interface FetchAdAccountDataInput {
  readonly client: AdsPlatformClient;
  readonly ctx: AdsRequestContext;
  readonly range: DayRange;
  readonly previousRange: DayRange;
  /** Only these campaigns (the job's `campaignIds`); default all. */
  readonly campaignIds?: readonly string[];
  /** Called as each phase starts (the job's progress). */
  readonly onPhase: (phase: AdAnalysisPhase) => Promise<void>;
}

/**
 * The platform calls of one analysis, one after the other (each client paces its own calls):
 * account → campaigns → daily metrics of the period → of the previous period → hourly cost of
 * the (campaign, day) pairs whose cost reached the daily budget (`budgetCappedDays`; the latest
 * {@link MAX_HOURLY_DAYS} such days), for budget pacing; no hourly call when there is none. Only the listed campaigns' rows are asked for when
 * the job names campaigns. Errors are the client's (kit errors; see `AdsPlatformClient`).
 */
export async function fetchAdAccountData(input: FetchAdAccountDataInput): Promise<AdAccountData> {
  const { client, ctx, range, previousRange, onPhase } = input;
  await onPhase('account');
  const account = await client.getAccount(ctx);
  await onPhase('campaigns');
  const campaigns = await client.listCampaigns(ctx, input.campaignIds);
  // Named campaigns that the account does not have are left out (listCampaigns' contract); an
  // empty selection still asks for nothing more than the named ids.
  const ids = input.campaignIds ? campaigns.map((c) => c.campaignId) : undefined;
  await onPhase('current-period');
  const current = ids && ids.length === 0 ? [] : await client.getDailyMetrics(ctx, range, ids);
  await onPhase('previous-period');
  const previous = ids && ids.length === 0 ? [] : await client.getDailyMetrics(ctx, previousRange, ids);
  await onPhase('hourly-cost');
  const allCapped = budgetCappedDays(campaigns, current, range);
  // The latest MAX_HOURLY_DAYS capped days are enough for a median hour, and keep a 3-year
  // range from asking for 26 000 hourly rows per campaign.
  const keptDays = new Set([...new Set(allCapped.map((p) => p.date))].sort().slice(-MAX_HOURLY_DAYS));
  const capped = allCapped.filter((p) => keptDays.has(p.date));
  let hourly: HourlyCampaignCost[] = [];
  if (capped.length > 0) {
    const wanted = new Set(capped.map((p) => `${p.campaignId} ${p.date}`));
    const days = [...keptDays].sort();
    const campaignIds = [...new Set(capped.map((p) => p.campaignId))].sort();
    hourly = (await client.getHourlyCost(ctx, days, campaignIds)).filter((h) => wanted.has(`${h.campaignId} ${h.date}`));
  }
  return { account, campaigns, range, previousRange, current, previous, hourly };
}
