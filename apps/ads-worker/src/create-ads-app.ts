import type { AdPlatform } from '@jobs/queue-contracts';
import type { AppRedis, JobHandlers, Logger } from '@jobs/worker-kit';
import { createAdAnalysisHandler } from './ad-analysis-handler';
import type { AdsWorkerConfig } from './config';
import type { AdAccountCredentials } from './lib/ad-account-credentials';
import { AppAdAccountCredentials } from './lib/ad-account-credentials-from-app';
import type { AdsPlatformClient } from './lib/ads-data';
import { createGoogleAdsClient } from './lib/google-ads/google-ads-client';
import { createMetaAdsClient } from './lib/meta/meta-ads-client';
import { publishAdReport } from './lib/report/publish-ad-report';

/** The ads queue's handlers. */
export interface AdsApp {
  readonly handlers: JobHandlers<'ads'>;
}

/** What {@link createAdsApp} is given, connected; the caller closes them. */
export interface AdsAppDeps {
  /** For the platforms' shared rate limiters and the stored reports. */
  readonly redis: AppRedis;
  readonly log: Logger;
  /** Replaces the web app's token endpoint (tests, other credential stores). */
  readonly credentials?: AdAccountCredentials;
  /**
   * Which instant is "now" for the range cut at yesterday and Meta's history (tests); default
   * `new Date()`. Not read when the config's `asOfDate` (`ADS_AS_OF_DATE`) is set: that day wins.
   */
  readonly now?: () => Date;
}

/**
 * Wires the ads worker from its config: ad account grants from the web app's token endpoint
 * (`ADS_TOKEN_URL`), the Google Ads client (REST `searchStream`, paced per Cloud project through
 * Redis under `<keyPrefix>:rate-limit:google-ads`) and the Meta client (the official SDK, paced
 * per ad account and app through Redis), the `AD_ANALYSIS` handler, and reports stored in Redis
 * under `<keyPrefix>:report:<jobId>` (gzip, `ADS_REPORT_TTL_MS`, trimmed to `ADS_REPORT_MAX_BYTES`).
 */
export function createAdsApp(config: AdsWorkerConfig, { redis, log, credentials, now }: AdsAppDeps): AdsApp {
  const grants =
    credentials ?? new AppAdAccountCredentials({ url: config.tokens.url, secret: config.tokens.secret, timeoutMs: config.tokens.timeoutMs });
  const clients: Record<AdPlatform, AdsPlatformClient> = {
    google: createGoogleAdsClient({
      credentials: grants,
      redis,
      keyPrefix: config.keyPrefix,
      config: { ...config.google, maxInProcessWaitMs: config.maxInProcessWaitMs },
      log,
    }),
    meta: createMetaAdsClient({ credentials: grants, redis, keyPrefix: config.keyPrefix, config: config.meta, log }),
  };
  return {
    handlers: {
      AD_ANALYSIS: createAdAnalysisHandler({
        clientFor: (platform) => clients[platform],
        now,
        asOfDate: config.asOfDate,
        publishReport: (jobId, analysis, note) =>
          publishAdReport(redis, analysis, {
            keyPrefix: config.keyPrefix,
            jobId,
            ttlMs: config.report.ttlMs,
            maxBytes: config.report.maxBytes,
            maxChartedCampaigns: config.report.maxChartedCampaigns,
            note,
          }),
      }),
    },
  };
}
