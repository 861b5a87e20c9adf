import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ADS_WORKER_KEY_NAMESPACE, DEFAULT_MAX_AD_REPORT_HTML_BYTES, type AdReportRef } from '@jobs/queue-contracts';
import type { AppRedis } from '@jobs/worker-kit';

const deflate = promisify(gzip);

/** Default of `ttlMs` (`ADS_REPORT_TTL_MS`): 7 days. */
export const DEFAULT_AD_REPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Default of `maxBytes` (`ADS_REPORT_MAX_BYTES`): 5 MiB, compressed. */
export const DEFAULT_AD_REPORT_MAX_BYTES = 5 * 1024 * 1024;
/**
 * The largest `maxBytes` (`ADS_REPORT_MAX_BYTES`) allowed: 64 MiB compressed. Reports live in
 * the queues' Redis (whose eviction policy must be `noeviction`, so a full Redis refuses jobs);
 * one 64 MiB value held for days is already more than a report is worth. The reader
 * (`getAdAnalysisReport`) accepts up to 256 MiB of HTML, which a report of this size inflates to
 * only if it compresses less than 4:1 (ECharts SVG and tables compress ~10:1).
 */
export const MAX_AD_REPORT_MAX_BYTES = 64 * 1024 * 1024;

/** Options of {@link storeAdReport}. */
export interface StoreAdReportOptions {
  /**
   * The ads worker's key prefix (its config's `keyPrefix`): `<BULLMQ_PREFIX>:ads-worker`, or
   * `<BULLMQ_PREFIX>:{ads}:ads-worker` on a Redis Cluster (`appKeyPrefix`).
   */
  readonly keyPrefix: string;
  /** The `AD_ANALYSIS` job's id: the key is `<keyPrefix>:report:<jobId>`. */
  readonly jobId: string;
  readonly html: string;
  /** How long the report is kept, ms. */
  readonly ttlMs: number;
  /** The most bytes the compressed report may take; above, nothing is stored. */
  readonly maxBytes: number;
  /** Campaigns the report does not chart (recorded in the ref). */
  readonly campaignsNotCharted: number;
  /** Clock for `expiresAt`, ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Stores a report gzip-compressed (Node's zlib, default level) under
 * `<keyPrefix>:report:<jobId>` (= `adReportKey(<the ads queue's BullMQ prefix>, jobId)`, where
 * `getAdAnalysisReport` in `@jobs/queue-contracts` reads it; on a Redis Cluster the prefix
 * carries the `{ads}` hash tag) with a TTL of `ttlMs` (one `SET …
 * PX`; a retried job overwrites its earlier report). When the report is too large, the key is
 * deleted (`DEL`), so a report an earlier attempt of the same job stored is never served as this
 * attempt's.
 * @returns the result's `report` ref (key, sizes, `expiresAt` ISO-8601, campaignsNotCharted),
 *   or `null` when the compressed report is larger than `maxBytes`, or the HTML larger than
 *   `getAdAnalysisReport`'s default `maxHtmlBytes` (256 MiB: it could not be read back) —
 *   nothing is stored under the key afterwards.
 * @throws RangeError when `keyPrefix` is not the ads worker's (`…:ads-worker`) or `jobId` is
 *   empty; Redis errors as ioredis throws them.
 */
export async function storeAdReport(redis: AppRedis, options: StoreAdReportOptions): Promise<AdReportRef | null> {
  if (!options.keyPrefix.endsWith(`:${ADS_WORKER_KEY_NAMESPACE}`)) {
    throw new RangeError(`storeAdReport: keyPrefix must be "<BULLMQ_PREFIX>:${ADS_WORKER_KEY_NAMESPACE}" (was "${options.keyPrefix}"), where getAdAnalysisReport looks`);
  }
  if (options.jobId === '') throw new RangeError('storeAdReport: jobId must not be empty');
  const html = Buffer.from(options.html, 'utf8');
  const key = `${options.keyPrefix}:report:${options.jobId}`;
  // Beyond the reader's default inflate limit the report could be stored but not read back.
  const compressed = html.length > DEFAULT_MAX_AD_REPORT_HTML_BYTES ? null : await deflate(html);
  if (compressed === null || compressed.length > options.maxBytes) {
    await redis.del(key);
    return null;
  }
  const now = (options.now ?? Date.now)();
  await redis.set(key, compressed, 'PX', options.ttlMs);
  return {
    key,
    htmlBytes: html.length,
    storedBytes: compressed.length,
    expiresAt: new Date(now + options.ttlMs).toISOString(),
    campaignsNotCharted: options.campaignsNotCharted,
  };
}
