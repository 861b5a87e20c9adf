import type { AdAccountInfo, AdsPlatformClient, AdsRequestContext, DayRange, HourlyCampaignCost } from '../lib/ads-data';
import type { AdAnalysisInput } from '../lib/analysis/ad-analysis';
import { budgetCappedDays } from '../lib/analysis/budget-pacing';
import { addDays, daysOfRange } from '../lib/analysis/day-range';
import type { AdAnalysisPhase } from './ad-analysis-progress';
import type { AnalysedRanges } from './analysed-ranges';
import { checkCampaignDays } from './campaign-days-bound';
import { campaignsNotFound } from './campaigns-not-found';

/**
 * Hourly cost is fetched for budget-capped days of the last 92 calendar days (a quarter) of the
 * analysed range only: one query spans at most that many days, whatever the range's length.
 */
export const MAX_HOURLY_DAYS = 92;

/** Everything the analysis reads about one account and period, as the platform gave it. */
export type AdAccountData = AdAnalysisInput;

/** What {@link fetchAdAccountData} is asked for. */
export interface FetchAdAccountDataInput {
  readonly client: AdsPlatformClient;
  readonly ctx: AdsRequestContext;
  /** The job's days (`jobDayRange`), as asked. */
  readonly jobRange: DayRange;
  /** The days to analyse and compare, once the account (its time zone) is known: `analysedRanges`. */
  readonly plan: (account: AdAccountInfo) => AnalysedRanges;
  /** Only these campaigns (the job's `campaignIds`); default all. */
  readonly campaignIds?: readonly string[];
  /** Called as each phase starts (the job's progress). */
  readonly onPhase: (phase: AdAnalysisPhase) => Promise<void>;
}

/**
 * The platform calls of one analysis, one after the other (each client paces its own calls):
 * account → (the analysed days, `plan`) → campaigns → daily metrics of the range → of the
 * previous period (unless `plan` says it is unavailable) → hourly cost of the (campaign, day)
 * pairs whose cost reached the daily budget (`budgetCappedDays`) within the last
 * {@link MAX_HOURLY_DAYS} days of the range, for budget pacing; no hourly call when there is none.
 * Only the listed campaigns' rows are asked for when the job names campaigns; named ids the
 * account does not have are named in a note (`campaignsNotFound`). The size bound
 * (`checkCampaignDays`) is checked once the campaigns are listed and again when the rows arrive.
 * @throws PermanentJobError from `plan` (no complete day, beyond Meta's history), naming
 *   `campaignIds` when none of the named campaigns is the account's, or from the bound;
 *   otherwise the client's errors (kit errors; see `AdsPlatformClient`).
 */
export async function fetchAdAccountData(input: FetchAdAccountDataInput): Promise<AdAccountData> {
  const { client, ctx, onPhase } = input;
  await onPhase('account');
  const account = await client.getAccount(ctx);
  const planned = input.plan(account);
  const { range, previousRange, previousFetched } = planned;
  const days = daysOfRange(range).length;
  await onPhase('campaigns');
  const campaigns = await client.listCampaigns(ctx, input.campaignIds);
  const named = input.campaignIds !== undefined;
  // Named campaigns that the account does not have are left out (listCampaigns' contract): a
  // note names them; none of them the account's → PermanentJobError naming campaignIds.
  const notFound = campaignsNotFound(input.campaignIds, campaigns);
  const notes = notFound === null ? planned.notes : [...planned.notes, notFound];
  checkCampaignDays(campaigns.length, days, named);
  const ids = named ? campaigns.map((c) => c.campaignId) : undefined;
  const none = ids !== undefined && ids.length === 0;
  await onPhase('current-period');
  const current = none ? [] : await client.getDailyMetrics(ctx, range, ids);
  const seen = new Set(campaigns.map((c) => c.campaignId));
  for (const row of current) seen.add(row.campaignId);
  checkCampaignDays(seen.size, days, named);
  await onPhase('previous-period');
  const previous = none || !previousFetched ? [] : await client.getDailyMetrics(ctx, previousRange, ids);
  // A cut previous period that then has no data compares nothing: say that, not "fewer days".
  const noteList =
    planned.previousCutNote !== null && previous.length === 0
      ? notes.map((note) => (note === planned.previousCutNote ? `No comparison with the previous period (${previousRange.start}..${previousRange.end}): the platform has no data for it.` : note))
      : notes;
  await onPhase('hourly-cost');
  const since = addDays(range.end, -(MAX_HOURLY_DAYS - 1));
  const capped = budgetCappedDays(campaigns, current, range).filter((p) => p.date >= since);
  let hourly: HourlyCampaignCost[] = [];
  if (capped.length > 0) {
    const wanted = new Set(capped.map((p) => `${p.campaignId} ${p.date}`));
    const hourDays = [...new Set(capped.map((p) => p.date))].sort();
    const campaignIds = [...new Set(capped.map((p) => p.campaignId))].sort();
    hourly = (await client.getHourlyCost(ctx, hourDays, campaignIds)).filter((h) => wanted.has(`${h.campaignId} ${h.date}`));
  }
  return { account, campaigns, requestedRange: input.jobRange, range, previousRange, notes: noteList, current, previous, hourly };
}
