import { findSyntheticAdAccount, syntheticDay, syntheticHourlyCost, type SyntheticAdAccount } from '@jobs/test-support';
import type { DailyCampaignMetrics, DayRange } from '../../ads-data';
import type { AdAnalysisInput } from '../ad-analysis';
import { budgetCappedDays } from '../budget-pacing';
import { daysOfRange, previousPeriod } from '../day-range';

/** The synthetic account, or a thrown Error naming it. */
export function syntheticAccount(platform: 'google' | 'meta', accountId: string): SyntheticAdAccount {
  const account = findSyntheticAdAccount(platform, accountId);
  if (!account) throw new Error(`no synthetic ${platform} account ${accountId}`);
  return account;
}

/** Rows of a synthetic account as a platform sends them: one per campaign and day with activity. */
export function syntheticRows(account: SyntheticAdAccount, range: DayRange): DailyCampaignMetrics[] {
  return daysOfRange(range).flatMap((date) =>
    account.campaigns.flatMap((c) => {
      const day = syntheticDay(account, c.campaignId, date);
      return day.impressions > 0 || day.clicks > 0 || day.costMicros > 0 ? [{ campaignId: c.campaignId, date, ...day }] : [];
    }),
  );
}

/**
 * What the ads worker would hand to the analysis for a synthetic account and range: campaigns,
 * rows of the range and of its previous period, hourly cost of the budget-capped days.
 */
export function syntheticAnalysisInput(account: SyntheticAdAccount, range: DayRange): AdAnalysisInput {
  const previousRange = previousPeriod(range);
  const campaigns = account.campaigns.map((c) => ({ ...c }));
  const current = syntheticRows(account, range);
  const hourly = budgetCappedDays(campaigns, current, range).flatMap(({ campaignId, date }) =>
    syntheticHourlyCost(account, campaignId, date).map((costMicros, hour) => ({ campaignId, date, hour, costMicros })),
  );
  return {
    account: { platform: account.platform, accountId: account.accountId, name: account.name, currency: account.currency, timeZone: account.timeZone },
    campaigns,
    range,
    previousRange,
    current,
    previous: syntheticRows(account, previousRange),
    hourly,
  };
}
