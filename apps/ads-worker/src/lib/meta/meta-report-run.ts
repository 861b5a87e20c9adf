import { setTimeout as sleep } from 'node:timers/promises';
import { AdAccount, AdReportRun, type FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import { readAllPages } from './meta-read-all-pages';

/** Polling of an async report run: first wait and ceiling (ms); the wait grows ×1.5 per poll. */
export interface MetaReportRunPolling {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Insights rows through an async report run (Marketing API "Asynchronous Jobs"): `POST
 * /act_<id>/insights` with the same parameters as a sync call → `report_run_id`; poll
 * `GET /<report_run_id>` (`async_status`, `async_percent_completion`) with a growing wait
 * (abortable) until `Job Completed`, then read `GET /<report_run_id>/insights` page by page.
 * @throws Error when the run ends `Job Failed` or `Job Skipped` (a transient failure: the job's
 *   attempts apply); the signal's reason when aborted.
 */
export async function readInsightsThroughReportRun(
  api: FacebookAdsApi,
  accountId: string,
  fields: readonly string[],
  params: Record<string, unknown>,
  polling: MetaReportRunPolling,
  signal: AbortSignal,
  note?: (message: string) => void,
): Promise<unknown[]> {
  const created = await new AdAccount(accountId, undefined, undefined, api).getInsightsAsync([...fields], { ...params });
  // The SDK files Graph's `report_run_id` answer under the run object's `id`.
  const data = (created as unknown as { _data?: Record<string, unknown> })._data ?? {};
  const runId = String(data['id'] ?? data['report_run_id'] ?? '');
  if (!/^\d+$/.test(runId)) throw new Error('Meta did not return a report_run_id for the async insights run');
  let waitMs = polling.initialMs;
  for (;;) {
    await sleep(waitMs, undefined, { signal });
    const state = (await reportRun(runId, api).read(['async_status', 'async_percent_completion'])) as unknown as { _data: Record<string, unknown> };
    const status = String(state._data['async_status'] ?? '');
    if (status === 'Job Completed') break;
    if (status === 'Job Failed' || status === 'Job Skipped') throw new Error(`Meta's async insights run ${runId} ended "${status}"`);
    note?.(`Meta report run ${runId}: ${status} (${Number(state._data['async_percent_completion'] ?? 0)} %)`);
    waitMs = Math.min(polling.maxMs, Math.round(waitMs * 1.5));
  }
  return readAllPages(await reportRun(runId, api).getInsights([...fields], { limit: params['limit'] }));
}

/**
 * A fresh AdReportRun object per read: with headers shown, the SDK defines a non-configurable
 * `headers` property on the object it reads into, so reading the same object twice throws. Its
 * constructor (SDK 24) also drops its `api` argument and takes the id from
 * `data.report_run_id`; the job's api is attached by hand, so no global default api is needed.
 */
function reportRun(runId: string, api: FacebookAdsApi): AdReportRun {
  const run = new AdReportRun(runId, { report_run_id: runId });
  (run as unknown as { _api: FacebookAdsApi })._api = api;
  return run;
}
