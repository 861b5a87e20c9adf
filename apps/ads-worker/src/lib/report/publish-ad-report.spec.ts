import { Redis } from 'ioredis';
import { getAdAnalysisReport, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { publishAdReport } from './publish-ad-report';
import { renderAdReportHtml } from './render-ad-report-html';
import { DEFAULT_AD_REPORT_MAX_BYTES, DEFAULT_AD_REPORT_TTL_MS, MAX_AD_REPORT_MAX_BYTES, storeAdReport } from './store-ad-report';
import { sampleReportAnalysis } from './test-support/sample-report-analysis';

const url = testRedisUrl();

describe('storeAdReport and publishAdReport', () => {
  let prefix: string;
  let redis: Redis;
  const read = (jobId: string) => getAdAnalysisReport(jobId, { source: { redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix } });

  beforeEach(() => {
    prefix = uniquePrefix('adsreport');
    redis = new Redis(url);
  });
  afterEach(async () => {
    await deletePrefix(url, prefix);
    redis.disconnect();
  });

  it('stores the report gzip-compressed with a TTL where getAdAnalysisReport finds it', async () => {
    const { html } = renderAdReportHtml(sampleReportAnalysis());
    const now = Date.UTC(2024, 1, 1);
    const ref = await storeAdReport(redis, { keyPrefix: `${prefix}:ads-worker`, jobId: 'j1', html, ttlMs: 60_000, maxBytes: DEFAULT_AD_REPORT_MAX_BYTES, campaignsNotCharted: 2, now: () => now });
    expect(ref).toEqual({
      key: `${prefix}:ads-worker:report:j1`,
      htmlBytes: Buffer.byteLength(html),
      storedBytes: expect.any(Number),
      expiresAt: '2024-02-01T00:01:00.000Z',
      campaignsNotCharted: 2,
    });
    expect(ref!.storedBytes).toBeLessThan(ref!.htmlBytes / 4);
    expect((await redis.getBuffer(ref!.key))!.length).toBe(ref!.storedBytes);
    const ttl = await redis.pttl(ref!.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await read('j1')).toBe(html);
    expect(await getAdAnalysisReport(ref!, { source: { redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix } })).toBe(html);
    expect(DEFAULT_AD_REPORT_TTL_MS).toBe(7 * 86_400_000);
  });

  it('stores nothing above maxBytes, and refuses a key prefix getAdAnalysisReport would not look under', async () => {
    const base = { jobId: 'j2', html: '<p>x</p>'.repeat(1000), ttlMs: 60_000, campaignsNotCharted: 0 };
    expect(await storeAdReport(redis, { ...base, keyPrefix: `${prefix}:ads-worker`, maxBytes: 10 })).toBeNull();
    expect(await redis.exists(`${prefix}:ads-worker:report:j2`)).toBe(0);
    expect(MAX_AD_REPORT_MAX_BYTES).toBe(64 * 1024 * 1024);
    await expect(storeAdReport(redis, { ...base, keyPrefix: prefix, maxBytes: DEFAULT_AD_REPORT_MAX_BYTES })).rejects.toThrow(RangeError);
  });

  it('charts fewer campaigns until the report fits, then gives up (null, nothing stored)', async () => {
    const analysis = sampleReportAnalysis({ campaigns: 8, days: 60 });
    const size = async (charted: number) => (await storeAdReport(redis, { keyPrefix: `${prefix}:ads-worker`, jobId: 'probe', html: renderAdReportHtml(analysis, { maxChartedCampaigns: charted }).html, ttlMs: 60_000, maxBytes: Number.MAX_SAFE_INTEGER, campaignsNotCharted: 0 }))!.storedBytes;
    // Sizes vary by a few bytes between renders (ECharts numbers its SVG ids per process): leave slack.
    const slack = 256;
    const [all, four, two, none] = [await size(8), await size(4), await size(2), await size(0)];
    expect(none + slack).toBeLessThan(two - slack);
    expect(two + slack).toBeLessThan(four - slack);
    expect(four + slack).toBeLessThan(all - slack);
    const notes: string[] = [];
    const base = { keyPrefix: `${prefix}:ads-worker`, ttlMs: 60_000, note: (m: string) => notes.push(m) };

    const whole = await publishAdReport(redis, analysis, { ...base, jobId: 'a', maxBytes: all + slack });
    expect(whole?.campaignsNotCharted).toBe(0);
    expect(notes).toEqual([]);

    // 8 → 4 → 2 fits.
    const trimmed = await publishAdReport(redis, analysis, { ...base, jobId: 'b', maxBytes: two + slack });
    expect(trimmed?.campaignsNotCharted).toBe(6);
    expect(notes).toHaveLength(2);
    expect(await read('b')).toContain('6 more campaigns are not charted (the report charts the 2 with the highest cost)');

    notes.length = 0;
    expect(await publishAdReport(redis, analysis, { ...base, jobId: 'c', maxBytes: none - slack })).toBeNull();
    // Each step in the job's log, one chart in the singular, the last step "none".
    const limit = none - slack;
    expect(notes).toEqual([
      `the HTML report with 8 campaign charts is larger than ${limit} bytes compressed: trying 4`,
      `the HTML report with 4 campaign charts is larger than ${limit} bytes compressed: trying 2`,
      `the HTML report with 2 campaign charts is larger than ${limit} bytes compressed: trying 1`,
      `the HTML report with 1 campaign chart is larger than ${limit} bytes compressed: trying none`,
      `the HTML report is larger than ${limit} bytes compressed even without campaign charts: not stored`,
    ]);
    expect(await read('c')).toBeNull();
  });

  it("deletes an earlier attempt's report when this attempt's is too large to store", async () => {
    const keyPrefix = `${prefix}:ads-worker`;
    const base = { keyPrefix, jobId: 'retried', ttlMs: 60_000, campaignsNotCharted: 0 };
    const earlier = await storeAdReport(redis, { ...base, html: '<p>first attempt</p>', maxBytes: DEFAULT_AD_REPORT_MAX_BYTES });
    expect(earlier).not.toBeNull();
    expect(await read('retried')).toBe('<p>first attempt</p>');

    expect(await storeAdReport(redis, { ...base, html: '<p>second attempt</p>'.repeat(100), maxBytes: 10 })).toBeNull();
    expect(await redis.exists(earlier!.key)).toBe(0);
    expect(await read('retried')).toBeNull();

    // Through publishAdReport too: the whole trimming ends with nothing stored.
    await storeAdReport(redis, { ...base, html: '<p>first attempt</p>', maxBytes: DEFAULT_AD_REPORT_MAX_BYTES });
    expect(await publishAdReport(redis, sampleReportAnalysis(), { keyPrefix, jobId: 'retried', ttlMs: 60_000, maxBytes: 10 })).toBeNull();
    expect(await read('retried')).toBeNull();
  });
});
