import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { deletePrefix, freePort, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { adReportKey } from './ads-report-key';
import { DEFAULT_MAX_AD_REPORT_HTML_BYTES, getAdAnalysisReport } from './ads-report-reader';
import { UnreadableAdReportError } from './ads-report-unreadable-error';
import type { AdReportRef } from './contracts/ads';
import { QueueUnavailableError } from './errors';
import { JobProducer } from './job-producer';
import { redisSettingsFromEnv } from './redis-env';

const url = testRedisUrl();
const html = '<!doctype html><title>r</title><p>Café ✓</p>';

describe('getAdAnalysisReport', () => {
  let prefix: string;
  let redis: Redis;
  let producer: JobProducer;
  const options = () => ({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });

  beforeEach(() => {
    prefix = uniquePrefix('adsreport');
    redis = new Redis(url);
    producer = new JobProducer(options());
  });
  afterEach(async () => {
    await producer.close();
    await deletePrefix(url, prefix);
    redis.disconnect();
  });

  const ref = (key: string): AdReportRef => ({ key, htmlBytes: 1, storedBytes: 1, expiresAt: new Date().toISOString(), campaignsNotCharted: 0 });

  it('reads a stored report by job id or by the result ref, through a shared producer or its own', async () => {
    const key = adReportKey(prefix, 'job-1');
    expect(key).toBe(`${prefix}:ads-worker:report:job-1`);
    await redis.set(key, gzipSync(html), 'PX', 60_000);
    expect(await getAdAnalysisReport('job-1', { source: producer })).toBe(html);
    expect(await getAdAnalysisReport(ref(key), { source: producer })).toBe(html);
    expect(await getAdAnalysisReport('job-1', { source: options() })).toBe(html);
  });

  it('is null when no report is stored (expired, never stored)', async () => {
    expect(await getAdAnalysisReport('job-2', { source: producer })).toBeNull();
    expect(await getAdAnalysisReport(ref(adReportKey(prefix, 'job-2')), { source: producer })).toBeNull();
  });

  it('refuses a ref whose key is not an ads report key under this prefix, and an empty id', async () => {
    await expect(getAdAnalysisReport(ref(`${prefix}:workflow:run:x`), { source: producer })).rejects.toThrow(RangeError);
    await expect(getAdAnalysisReport(ref(adReportKey('other', 'job-1')), { source: producer })).rejects.toThrow(`report.key must start with "${prefix}:ads-worker:report:"`);
    await expect(getAdAnalysisReport(ref(`${prefix}:ads-worker:report:`), { source: producer })).rejects.toThrow(RangeError);
    await expect(getAdAnalysisReport(' ', { source: producer })).rejects.toThrow(RangeError);
  });

  it('says which key holds something unreadable: not gzip, or inflating beyond the bound', async () => {
    const key = adReportKey(prefix, 'job-3');
    await redis.set(key, 'not gzip');
    const err = await getAdAnalysisReport('job-3', { source: producer }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableAdReportError);
    expect((err as Error).message).toContain(key);

    await redis.set(key, gzipSync(Buffer.alloc(4096, 'a')));
    await expect(getAdAnalysisReport('job-3', { source: producer, maxHtmlBytes: 1024 })).rejects.toThrow(`${key} cannot be read: inflates beyond 1024 bytes`);
    expect(DEFAULT_MAX_AD_REPORT_HTML_BYTES).toBe(256 * 1024 * 1024);
  });

  it('is QueueUnavailableError without the password when Redis cannot be reached', async () => {
    const port = await freePort();
    const source = { redis: redisSettingsFromEnv({ REDIS_URL: `redis://user:s3cret-made-up@127.0.0.1:${port}` }), prefix, producerTimeoutMs: 2000 };
    const err = await getAdAnalysisReport('job-4', { source }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueUnavailableError);
    expect(String((err as Error).message)).not.toContain('s3cret-made-up');
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain('s3cret-made-up');
  });
});
