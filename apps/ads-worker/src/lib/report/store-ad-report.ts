import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Redis } from 'ioredis';
import { ADS_WORKER_KEY_NAMESPACE, type AdReportRef } from '@jobs/queue-contracts';

const deflate = promisify(gzip);

/** Default of `ttlMs` (`ADS_REPORT_TTL_MS`): 7 days. */
export const DEFAULT_AD_REPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Default of `maxBytes` (`ADS_REPORT_MAX_BYTES`): 5 MiB, compressed. */
export const DEFAULT_AD_REPORT_MAX_BYTES = 5 * 1024 * 1024;

/** Options of {@link storeAdReport}. */
export interface StoreAdReportOptions {
  /** The ads worker's key prefix, `<BULLMQ_PREFIX>:ads-worker` (its config's `keyPrefix`). */
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
 * `<keyPrefix>:report:<jobId>` (= `adReportKey(BULLMQ_PREFIX, jobId)`, where
 * `getAdAnalysisReport` in `@jobs/queue-contracts` reads it) with a TTL of `ttlMs` (one `SET …
 * PX`; a retried job overwrites its earlier report).
 * @returns the result's `report` ref (key, sizes, `expiresAt` ISO-8601, campaignsNotCharted),
 *   or `null` when the compressed report is larger than `maxBytes` (nothing written).
 * @throws RangeError when `keyPrefix` is not the ads worker's (`…:ads-worker`) or `jobId` is
 *   empty; Redis errors as ioredis throws them.
 */
export async function storeAdReport(redis: Redis, options: StoreAdReportOptions): Promise<AdReportRef | null> {
  if (!options.keyPrefix.endsWith(`:${ADS_WORKER_KEY_NAMESPACE}`)) {
    throw new RangeError(`storeAdReport: keyPrefix must be "<BULLMQ_PREFIX>:${ADS_WORKER_KEY_NAMESPACE}" (was "${options.keyPrefix}"), where getAdAnalysisReport looks`);
  }
  if (options.jobId === '') throw new RangeError('storeAdReport: jobId must not be empty');
  const compressed = await deflate(Buffer.from(options.html, 'utf8'));
  if (compressed.length > options.maxBytes) return null;
  const key = `${options.keyPrefix}:report:${options.jobId}`;
  const now = (options.now ?? Date.now)();
  await redis.set(key, compressed, 'PX', options.ttlMs);
  return {
    key,
    htmlBytes: Buffer.byteLength(options.html, 'utf8'),
    storedBytes: compressed.length,
    expiresAt: new Date(now + options.ttlMs).toISOString(),
    campaignsNotCharted: options.campaignsNotCharted,
  };
}
