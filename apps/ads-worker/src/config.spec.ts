import { ConfigError } from '@jobs/worker-kit';
import { ADS_WORKER_DEFAULTS, loadConfig } from './config';

const required = { ADS_TOKEN_URL: 'https://app.example/internal/ads-tokens', ADS_TOKEN_SECRET: 'made-up-secret' };

describe('loadConfig (ads)', () => {
  it('uses the documented defaults; the developer token is optional', () => {
    const config = loadConfig(required);
    expect(ADS_WORKER_DEFAULTS).toEqual({ concurrency: 4, maxJobsPerSecond: 1, healthPort: 9106, jobTimeoutMs: 600_000 });
    expect(config.worker).toMatchObject({ concurrency: 4, limiter: { max: 1 }, health: { port: 9106 } });
    expect(config).toMatchObject({
      keyPrefix: 'bull:ads-worker',
      tokens: { url: required.ADS_TOKEN_URL, secret: required.ADS_TOKEN_SECRET, timeoutMs: 10_000 },
      google: { apiUrl: 'https://googleads.googleapis.com', developerToken: null, loginCustomerId: null },
      meta: { graphUrl: 'https://graph.facebook.com', conversionActionTypes: ['offsite_conversion.fb_pixel_purchase'], asyncReportMinDays: 90, maxInProcessWaitMs: 60_000 },
      maxInProcessWaitMs: 60_000,
      report: { ttlMs: 7 * 86_400_000, maxBytes: 5 * 1024 * 1024, maxChartedCampaigns: 20 },
      asOfDate: null,
    });
  });

  it("keeps the app's keys under appKeyPrefix: <prefix>:ads-worker standalone, in the ads queue's slot on a cluster", () => {
    expect(loadConfig({ ...required, BULLMQ_PREFIX: 'acme' }).keyPrefix).toBe('acme:ads-worker');
    const clustered = loadConfig({ ...required, BULLMQ_PREFIX: 'acme', REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' });
    expect(clustered.keyPrefix).toBe('acme:{ads}:ads-worker');
    expect(loadConfig({ ...required, REDIS_CLUSTER_NODES: '127.0.0.1:7000' }).keyPrefix).toBe('bull:{ads}:ads-worker');
  });

  it('reads ADS_AS_OF_DATE as a calendar day and refuses anything else', () => {
    expect(loadConfig({ ...required, ADS_AS_OF_DATE: '2025-06-30' }).asOfDate).toBe('2025-06-30');
    expect(() => loadConfig({ ...required, ADS_AS_OF_DATE: '2099-01-01' })).toThrow(/ADS_AS_OF_DATE.*must not be after today/);
    for (const bad of ['2025-02-30', '2025-6-30', '2025-06-30T00:00:00Z', 'yesterday']) {
      expect(() => loadConfig({ ...required, ADS_AS_OF_DATE: bad })).toThrow(/ADS_AS_OF_DATE/);
    }
  });

  it('reads the platforms’ settings', () => {
    const config = loadConfig({
      ...required,
      GOOGLE_ADS_DEVELOPER_TOKEN: 'made-up-dev-token',
      GOOGLE_ADS_LOGIN_CUSTOMER_ID: '111-222-3333',
      META_CONVERSION_ACTION_TYPES: 'purchase, lead ,',
    });
    expect(config.google).toMatchObject({ developerToken: 'made-up-dev-token', loginCustomerId: '1112223333' });
    expect(config.meta.conversionActionTypes).toEqual(['purchase', 'lead']);
  });

  it('names every missing or bad variable, never a value', () => {
    let err: unknown;
    try {
      loadConfig({ GOOGLE_ADS_LOGIN_CUSTOMER_ID: '12345', ADS_REPORT_MAX_CHARTED_CAMPAIGNS: 'many', GOOGLE_ADS_DEVELOPER_TOKEN: 'made-up-dev-token' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/^ads-worker: missing ADS_TOKEN_URL, ADS_TOKEN_SECRET; invalid /);
    expect(message).toContain('GOOGLE_ADS_LOGIN_CUSTOMER_ID');
    expect(message).toContain('ADS_REPORT_MAX_CHARTED_CAMPAIGNS');
    expect(message).not.toContain('made-up-dev-token');
  });

  it('caps ADS_REPORT_MAX_BYTES at 64 MiB (reports live in the queues’ Redis)', () => {
    expect(loadConfig({ ...required, ADS_REPORT_MAX_BYTES: String(64 * 1024 * 1024) }).report.maxBytes).toBe(64 * 1024 * 1024);
    expect(() => loadConfig({ ...required, ADS_REPORT_MAX_BYTES: String(64 * 1024 * 1024 + 1) })).toThrow(/ADS_REPORT_MAX_BYTES/);
  });
});
