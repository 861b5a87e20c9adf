import type { AdReportRef } from '@jobs/queue-contracts';
import type { AppRedis } from '@jobs/worker-kit';
import type { AdReportAnalysis } from './ad-report-analysis';
import { DEFAULT_MAX_CHARTED_CAMPAIGNS, renderAdReportHtmlYielding, type AdReportHtmlOptions } from './render-ad-report-html';
import { storeAdReport } from './store-ad-report';

/** Options of {@link publishAdReport}. */
export interface PublishAdReportOptions extends Omit<AdReportHtmlOptions, 'maxChartedCampaigns'> {
  /** The ads worker's key prefix (its config's `keyPrefix`, see `storeAdReport`). */
  readonly keyPrefix: string;
  /** The `AD_ANALYSIS` job's id. */
  readonly jobId: string;
  /** `ADS_REPORT_TTL_MS` (default 7 days). */
  readonly ttlMs: number;
  /** `ADS_REPORT_MAX_BYTES`: the most bytes the compressed report may take (default 5 MiB). */
  readonly maxBytes: number;
  /** `ADS_REPORT_MAX_CHARTED_CAMPAIGNS` (default 20). */
  readonly maxChartedCampaigns?: number;
  /** Told when the report had to be trimmed or could not be stored (for the job's log). */
  readonly note?: (message: string) => void;
}

/**
 * Renders the analysis's HTML report and stores it (see `renderAdReportHtmlYielding`, which
 * lets the event loop run between charts and tables, and `storeAdReport`). When the compressed report is larger than `maxBytes`, it is rendered again
 * with half as many campaign charts each time (20, 10, 5, 2, 1, then the account's chart only);
 * when even that is too large, nothing is stored and the result is `null` (the job's summary is
 * still complete; `note` says why). The tables are never trimmed beyond their 500-row cap.
 * @returns the ref for the job result's `report`, or null.
 * @throws as `storeAdReport` (Redis errors, a wrong keyPrefix).
 */
export async function publishAdReport(redis: AppRedis, analysis: AdReportAnalysis, options: PublishAdReportOptions): Promise<AdReportRef | null> {
  const { keyPrefix, jobId, ttlMs, maxBytes, note, ...render } = options;
  // Halving beyond the campaigns there are to chart would render the same report again.
  const chartable = analysis.allCampaigns.filter((c) => analysis.daily.some((s) => s.campaignId === c.campaignId)).length;
  let charted = Math.min(chartable, Math.max(0, Math.floor(options.maxChartedCampaigns ?? DEFAULT_MAX_CHARTED_CAMPAIGNS)));
  for (;;) {
    const { html, campaignsNotCharted } = await renderAdReportHtmlYielding(analysis, { ...render, maxChartedCampaigns: charted });
    const ref = await storeAdReport(redis, { keyPrefix, jobId, html, ttlMs, maxBytes, campaignsNotCharted });
    if (ref) return ref;
    if (charted === 0) {
      note?.(`the HTML report is larger than ${maxBytes} bytes compressed even without campaign charts: not stored`);
      return null;
    }
    const fewer = Math.floor(charted / 2);
    note?.(`the HTML report with ${chartCount(charted)} is larger than ${maxBytes} bytes compressed: trying ${fewer === 0 ? 'none' : fewer}`);
    charted = fewer;
  }
}

/** `'1 campaign chart'`, `'20 campaign charts'`. */
function chartCount(charts: number): string {
  return `${charts} campaign ${charts === 1 ? 'chart' : 'charts'}`;
}
