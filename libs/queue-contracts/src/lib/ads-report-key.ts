import { QUEUE_NAMES } from './queue-names';

/** The ads worker's own key namespace under the BullMQ prefix: `<prefix>:ads-worker:…`. */
export const ADS_WORKER_KEY_NAMESPACE = 'ads-worker';

/**
 * `<prefix>:ads-worker:report:`: what every stored ads report's key starts with, under the `ads`
 * queue's prefix `prefix`: `BULLMQ_PREFIX` (default `bull`) on a standalone Redis, but on a Redis
 * Cluster `queuePrefix(settings, 'ads')` (`bull:{ads}`), where the ads worker writes them
 * (`appKeyPrefix`). `getAdAnalysisReport` takes it from the producer's `ads` queue.
 */
export function adReportKeyPrefix(prefix = 'bull'): string {
  return `${prefix}:${ADS_WORKER_KEY_NAMESPACE}:report:`;
}

/**
 * The Redis key of the HTML report of `AD_ANALYSIS` job `jobId` (queue `${QUEUE_NAMES.ads}`):
 * `<prefix>:ads-worker:report:<jobId>` (`prefix` as in {@link adReportKeyPrefix}), a string holding the gzip-compressed UTF-8 HTML, with
 * a TTL (the ads worker's `ADS_REPORT_TTL_MS`, 7 days by default).
 */
export function adReportKey(prefix: string, jobId: string): string {
  return `${adReportKeyPrefix(prefix)}${jobId}`;
}

/** The queue whose connection and prefix reports are read through. */
export const ADS_REPORT_QUEUE = QUEUE_NAMES.ads;
