import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { RedisClient } from 'bullmq';
import { withTimeout } from '@jobs/common';
import { ADS_REPORT_QUEUE, adReportKey, adReportKeyPrefix } from './ads-report-key';
import { UnreadableAdReportError } from './ads-report-unreadable-error';
import type { AdReportRef } from './contracts/ads';
import { QueueUnavailableError } from './errors';
import { isRedisUnavailableError } from './is-redis-unavailable-error';
import { JobProducer, type JobProducerOptions } from './job-producer';
import { getDefaultProducer } from './producers';
import { withoutRedisCredentials } from './without-redis-credentials';

const inflate = promisify(gunzip);

/**
 * Default of {@link GetAdAnalysisReportOptions.maxHtmlBytes}: 256 MiB. The ads worker stores
 * no report whose HTML is larger (and none above its `ADS_REPORT_MAX_BYTES` cap of 64 MiB
 * compressed), so every stored report is readable with the default.
 */
export const DEFAULT_MAX_AD_REPORT_HTML_BYTES = 256 * 1024 * 1024;

/** Options of {@link getAdAnalysisReport}. */
export interface GetAdAnalysisReportOptions {
  /**
   * Where to read: a producer to share (its Redis and BullMQ prefix; each Redis step waits at
   * most 5000 ms), or producer options (a producer is opened for the call and closed after it;
   * each step waits `producerTimeoutMs`). Default: the module-level producer, as the `add…Job`
   * functions use (`configureProducers`, or `REDIS_URL` … and `BULLMQ_PREFIX`).
   */
  readonly source?: JobProducer | JobProducerOptions;
  /** The most bytes the HTML may inflate to; beyond it the report is unreadable. Default 256 MiB. */
  readonly maxHtmlBytes?: number;
}

/**
 * The full HTML report of an `AD_ANALYSIS` job, as the ads worker stored it: the job's result
 * holds `report` (an `AdReportRef`, or null when the report could not be stored), and its key is
 * `<prefix>:ads-worker:report:<jobId>` (see `adReportKey`). Pass either the ref or the job's id.
 * @returns the HTML document (UTF-8 text), or `null` when no report is stored under that key
 *   (expired after the worker's `ADS_REPORT_TTL_MS`, 7 days by default; never stored; or the
 *   job not yet done).
 * @throws RangeError when `report` is an empty id, or a ref whose key is not an ads report key
 *   under the source's prefix (a ref from another deployment, or not a ref); UnreadableAdReportError
 *   when the stored value is not gzip data or inflates beyond `maxHtmlBytes`;
 *   QueueUnavailableError when Redis refuses, drops or does not answer (its message and cause
 *   carry no credentials).
 */
export async function getAdAnalysisReport(report: AdReportRef | string, options: GetAdAnalysisReportOptions = {}): Promise<string | null> {
  const source = options.source ?? getDefaultProducer();
  const owned = !(source instanceof JobProducer);
  const producer = source instanceof JobProducer ? source : new JobProducer(source);
  const timeoutMs = source instanceof JobProducer ? 5000 : (source.producerTimeoutMs ?? 5000);
  try {
    const queue = producer.queue(ADS_REPORT_QUEUE);
    const prefix = queue.qualifiedName.slice(0, queue.qualifiedName.length - ADS_REPORT_QUEUE.length - 1);
    const key = reportKey(report, prefix);
    const stored = await readBuffer(key, timeoutMs, () => queue.getBackend().client);
    if (stored === null) return null;
    return await inflateReport(key, stored, options.maxHtmlBytes ?? DEFAULT_MAX_AD_REPORT_HTML_BYTES);
  } finally {
    if (owned) await producer.close();
  }
}

/** The key to read for a ref or a job id, checked to be an ads report key under `prefix`. */
function reportKey(report: AdReportRef | string, prefix: string): string {
  if (typeof report === 'string') {
    if (report.trim() === '') throw new RangeError('getAdAnalysisReport: the job id must not be empty');
    return adReportKey(prefix, report);
  }
  const key: unknown = (report as { key?: unknown } | null)?.key;
  const expected = adReportKeyPrefix(prefix);
  if (typeof key !== 'string' || !key.startsWith(expected) || key.length === expected.length) {
    throw new RangeError(`getAdAnalysisReport: report.key must start with "${expected}" (an AD_ANALYSIS result's report under this prefix)`);
  }
  return key;
}

/** GET of `key` as bytes within `timeoutMs`, Redis failures as QueueUnavailableError. */
async function readBuffer(key: string, timeoutMs: number, client: () => Promise<RedisClient>): Promise<Buffer | null> {
  try {
    const work = (async () => {
      // BullMQ types its client by its adapter interface (strings only); the producers' client
      // is ioredis, whose getBuffer returns the stored bytes as they are.
      const redis = (await client()) as unknown as { getBuffer?: (key: string) => Promise<Buffer | null> };
      if (typeof redis.getBuffer !== 'function') throw new TypeError('getAdAnalysisReport needs an ioredis connection (getBuffer)');
      return redis.getBuffer(key);
    })();
    return await withTimeout(work, timeoutMs, () => new QueueUnavailableError(`Redis did not answer within ${timeoutMs} ms (read ads report); is it running?`));
  } catch (err) {
    if (err instanceof QueueUnavailableError || !isRedisUnavailableError(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new QueueUnavailableError(`Redis is unavailable (read ads report): ${reason}`, { cause: withoutRedisCredentials(err) });
  }
}

async function inflateReport(key: string, stored: Buffer, maxHtmlBytes: number): Promise<string> {
  try {
    return (await inflate(stored, { maxOutputLength: maxHtmlBytes })).toString('utf8');
  } catch (err) {
    const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new UnreadableAdReportError(key, tooLarge ? `inflates beyond ${maxHtmlBytes} bytes` : `not gzip data (${(err as Error).message})`, { cause: err });
  }
}
