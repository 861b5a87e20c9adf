import type { AdAnalysisResult, AdPlatform } from '@jobs/queue-contracts';
import type { JobHandler } from '@jobs/worker-kit';
import type { AdsPlatformClient } from './lib/ads-data';
import { analyseAdAccount, type AdAnalysis } from './lib/analysis/analyse-ad-account';
import { adAnalysisProgress, type AdAnalysisPhase } from './steps/ad-analysis-progress';
import { fetchAdAccountData } from './steps/fetch-ad-account-data';
import { analysedRanges } from './steps/analysed-ranges';
import { jobDayRange } from './steps/job-day-ranges';

/** What the `AD_ANALYSIS` handler works with; wired by createAdsApp. */
export interface AdAnalysisHandlerDeps {
  /**
   * The client of `platform`.
   * @throws PermanentJobError when the platform is not configured (e.g. no
   *   `GOOGLE_ADS_DEVELOPER_TOKEN`), naming what is missing.
   */
  clientFor(platform: AdPlatform): AdsPlatformClient;
  /**
   * Renders and stores the HTML report of job `jobId` (`publishAdReport`); null when it could
   * not be stored (too large even trimmed): the summary is complete without it. `note` tells the
   * job's log when the report was trimmed.
   */
  publishReport(jobId: string, analysis: AdAnalysis, note: (message: string) => void): Promise<AdAnalysisResult['report']>;
  /** The clock that says which day is "today" in the account's time zone; default `new Date()`. Tests pass a fixed date. */
  now?: () => Date;
  /**
   * `ADS_AS_OF_DATE`: when set ('YYYY-MM-DD'), "today" is this day in every account's time zone
   * and `now` is not read (replaying a past analysis, demos on fixed data); default null.
   */
  asOfDate?: string | null;
}

/**
 * `AD_ANALYSIS`: one ad account's campaigns over the job's days, compared with the period
 * before. Named steps, each its own module:
 * 1. {@link jobDayRange}: the job's dates as the account's calendar days;
 * 2. {@link fetchAdAccountData}: account, then the days analysed ({@link analysedRanges}: cut at
 *    yesterday in the account's time zone, Meta's 37-month history, the previous period),
 *    campaigns, daily metrics of both periods, hourly cost of budget-capped days, through the
 *    platform's client (which paces itself and resolves tokens), within `MAX_CAMPAIGN_DAYS`;
 * 3. `analyseAdAccount`: KPIs, change, anomalies, pacing, recommendations (pure);
 * 4. `publishReport`: the HTML report rendered and stored in Redis;
 * 5. the result: the analysis summary and the report's reference (checked by the kit against
 *    the contract's result schema).
 * `job.progress` is `{ phase, percent }` at the start of each phase. Errors are the clients'
 * kit errors (PermanentJobError, RetryLaterError) or transient ones; nothing is written before
 * the report, so a retry simply starts over.
 */
export function createAdAnalysisHandler(deps: AdAnalysisHandlerDeps): JobHandler<'AD_ANALYSIS'> {
  return async ({ job, data, signal, log, updateProgress }) => {
    const client = deps.clientFor(data.platform);
    const jobRange = jobDayRange(data.dateRange);
    const now = deps.now ?? (() => new Date());
    const onPhase = async (phase: AdAnalysisPhase) => {
      log.debug({ phase }, 'ad analysis phase');
      await updateProgress(adAnalysisProgress(phase));
    };
    const note = (message: string) => {
      log.info(message);
      void job.log(message).catch(() => undefined);
    };
    const input = await fetchAdAccountData({
      client,
      ctx: { userId: data.userId, accountId: data.accountId, signal, note },
      jobRange,
      plan: (account) => analysedRanges(jobRange, account, deps.asOfDate ?? now()),
      campaignIds: data.campaignIds,
      onPhase,
    });
    await onPhase('analysis');
    for (const message of input.notes ?? []) note(message);
    const analysis = analyseAdAccount(input);
    await onPhase('report');
    const report = await deps.publishReport(job.id ?? 'unknown', analysis, note);
    return { ...analysis.summary, report };
  };
}
