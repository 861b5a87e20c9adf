import { PermanentJobError } from '@jobs/worker-kit';

/**
 * The most campaign-days one job analyses per period: campaigns analysed × days of the analysed
 * range (200 000, e.g. 180 campaigns over 3 years, or 500 over 400 days). The analysis keeps a
 * daily series per campaign and the report draws them, so work and memory grow with this
 * product; the bound keeps one job's peak within the worker's memory limit at concurrency 4
 * (measured figures in the README's ads section).
 */
export const MAX_CAMPAIGN_DAYS = 200_000;

/**
 * Refuses a job whose `campaigns × days` exceeds {@link MAX_CAMPAIGN_DAYS}, before more is
 * fetched: once the campaigns are listed, and again when the rows name campaigns the list did not.
 * @param campaigns campaigns the analysis would cover.
 * @param days days of the analysed range.
 * @param named whether the job named its campaigns (`campaignIds`), for the advice.
 * @throws PermanentJobError naming `dateRange` and `campaignIds`, with the largest sizes that fit.
 */
export function checkCampaignDays(campaigns: number, days: number, named: boolean): void {
  if (campaigns * days <= MAX_CAMPAIGN_DAYS) return;
  const fewerCampaigns = Math.max(1, Math.floor(MAX_CAMPAIGN_DAYS / days));
  const fewerDays = Math.max(1, Math.floor(MAX_CAMPAIGN_DAYS / Math.max(1, campaigns)));
  throw new PermanentJobError(
    `${campaigns} campaigns × ${days} days = ${campaigns * days} campaign-days, more than the ${MAX_CAMPAIGN_DAYS} one analysis covers: ` +
      `shorten dateRange to at most ${fewerDays} days, or name at most ${fewerCampaigns} campaigns in campaignIds${named ? '' : ' (the account has more)'}`,
  );
}
