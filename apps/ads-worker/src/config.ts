import { z } from 'zod';
import { ADS_WORKER_KEY_NAMESPACE, appKeyPrefix, httpUrlSchema, QUEUE_NAMES } from '@jobs/queue-contracts';
import { loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';
import { metaAdsClientConfigFromEnv, type MetaAdsClientConfig } from './lib/meta/meta-ads-client';
import { metaEnvSchema } from './lib/meta/meta-env-schema';
import { DEFAULT_AD_REPORT_MAX_BYTES, MAX_AD_REPORT_MAX_BYTES } from './lib/report/store-ad-report';

/**
 * Defaults of the ads worker: concurrency 4, 1 job/s, health port 9106, 10 min per attempt.
 *
 * Why these: a job is a handful of API calls (account, campaigns, the period, the previous
 * period, hourly cost of capped days: 5 Google `searchStream` requests, each one "operation";
 * on Meta 4–5 Graph calls, more with paging) followed by well under a second of CPU for the
 * analysis and the report. The platforms' quotas, not this process, are the bottleneck, and the
 * clients pace every call through the Redis-shared RateLimiter per Cloud project (Google) and
 * per ad account and app (Meta), so concurrency only decides how many accounts wait on the APIs
 * at once. 4 keeps a small pod busy while a slow insights call runs, and 1 job started per
 * second per process (~5 calls/s) stays within Google's per-token request rate and spreads a
 * morning burst of scheduled analyses, so Meta's usage headers (x-business-use-case-usage) rise
 * gradually and the clients slow down before Meta refuses. Daily budgets bound it too: a Cloud
 * project with Explorer access has 2 880 operations a day against production accounts (~570
 * jobs), Basic 15 000 (~3 000 jobs); Meta's `ads_insights` business-use-case quota is per ad
 * account and hour.
 * Sources: https://developers.google.com/google-ads/api/docs/best-practices/quotas and
 * https://developers.facebook.com/docs/marketing-api/overview/rate-limiting.
 */
export const ADS_WORKER_DEFAULTS = Object.freeze({ concurrency: 4, maxJobsPerSecond: 1, healthPort: 9106, jobTimeoutMs: 600_000 });

/**
 * Google Ads API settings. `developerToken` is optional: Google sunset developer tokens on
 * 2026-09-09 (access levels now belong to the Cloud project of the OAuth client; the header is
 * ignored when sent), so it is sent only when configured, for older setups.
 * Source: https://developers.google.com/google-ads/api/docs/api-policy/developer-token
 */
export interface AdsGoogleConfig {
  readonly apiUrl: string;
  readonly apiVersion: string;
  readonly developerToken: string | null;
  /** 10 digits, or null. */
  readonly loginCustomerId: string | null;
  readonly requestsPerSecond: number;
}

/** The ads worker's resolved configuration. */
export interface AdsWorkerConfig {
  readonly worker: WorkerConfig;
  /**
   * The prefix of the app's Redis keys (rate limiters, reports): `appKeyPrefix(…, 'ads',
   * 'ads-worker')`, i.e. `<BULLMQ_PREFIX>:ads-worker` on a standalone Redis and
   * `<BULLMQ_PREFIX>:{ads}:ads-worker` on a Redis Cluster (the ads queue's slot, so every
   * multi-key script of the app runs on one node, and `getAdAnalysisReport` finds the reports).
   */
  readonly keyPrefix: string;
  /** The web app's token endpoint. */
  readonly tokens: Readonly<{ url: string; secret: string; timeoutMs: number }>;
  readonly google: AdsGoogleConfig;
  readonly meta: MetaAdsClientConfig;
  /** Longest wait for a platform's quota spent inside the job (ms); longer → RetryLaterError. */
  readonly maxInProcessWaitMs: number;
  readonly report: Readonly<{ ttlMs: number; maxBytes: number; maxChartedCampaigns: number }>;
  /**
   * `ADS_AS_OF_DATE` ('YYYY-MM-DD') or null: analyse as if today were this day in each ad
   * account's time zone (the range is cut at the day before it, Meta's 37-month history counts
   * back from it). For replaying a past analysis exactly and for demos on fixed data; null (the
   * default) uses the real date.
   */
  readonly asOfDate: string | null;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const DAY_MS = 86_400_000;

const adsEnvSchema = z.object({
  ...metaEnvSchema.shape,
  ADS_TOKEN_URL: httpUrlSchema,
  ADS_TOKEN_SECRET: z.string().min(1, 'is required'),
  ADS_TOKEN_TIMEOUT_MS: int(1000, 120_000).default(10_000),
  ADS_MAX_IN_PROCESS_WAIT_MS: int(0, 600_000).default(60_000),
  ADS_REPORT_TTL_MS: int(60_000, 90 * DAY_MS).default(7 * DAY_MS),
  ADS_REPORT_MAX_BYTES: int(64 * 1024, MAX_AD_REPORT_MAX_BYTES).default(DEFAULT_AD_REPORT_MAX_BYTES),
  ADS_REPORT_MAX_CHARTED_CAMPAIGNS: int(0, 200).default(20),
  GOOGLE_ADS_API_URL: httpUrlSchema.default('https://googleads.googleapis.com'),
  GOOGLE_ADS_API_VERSION: z.string().regex(/^v\d+$/, 'must look like v26').default('v26'),
  GOOGLE_ADS_DEVELOPER_TOKEN: z.string().min(1).optional(),
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: z
    .string()
    .transform((v) => v.replaceAll('-', ''))
    .pipe(z.string().regex(/^\d{10}$/, 'must be a 10-digit customer id (dashes allowed)'))
    .optional(),
  GOOGLE_ADS_REQUESTS_PER_SECOND: z.coerce.number().positive().max(1000).default(10),
  ADS_AS_OF_DATE: z.iso
    .date("must be a calendar day 'YYYY-MM-DD'")
    // A later day would let today's and future days, not yet complete anywhere, be analysed as
    // whole days (zero-filled: a false stop in spending). The latest day that has begun anywhere
    // is today in UTC+14 (Pacific/Kiritimati).
    .refine((day) => day <= new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10), {
      message: 'must not be after today: later days are not complete in any time zone',
    })
    .optional(),
});

/**
 * Reads the ads worker's configuration: the worker kit's variables plus
 * - `ADS_TOKEN_URL`, `ADS_TOKEN_SECRET` (required), `ADS_TOKEN_TIMEOUT_MS` (10000);
 * - `ADS_MAX_IN_PROCESS_WAIT_MS` (60000): longer platform waits give the slot back (RetryLaterError);
 * - `ADS_REPORT_TTL_MS` (7 days), `ADS_REPORT_MAX_BYTES` (5 MiB, compressed, 64 KiB–64 MiB: reports are kept in
 *   the queues' Redis; fewer charts, then no report, above it),
 *   `ADS_REPORT_MAX_CHARTED_CAMPAIGNS` (20);
 * - `ADS_AS_OF_DATE` (unset): 'YYYY-MM-DD' to analyse as if today were that day in the account's
 *   time zone (replaying a past analysis exactly, demos on fixed data); default the real date;
 * - Google: `GOOGLE_ADS_DEVELOPER_TOKEN` (optional: sent only when set; Google ignores it since
 *   its sunset on 2026-09-09), `GOOGLE_ADS_LOGIN_CUSTOMER_ID`, `GOOGLE_ADS_API_URL`
 *   (https://googleads.googleapis.com), `GOOGLE_ADS_API_VERSION` (v26, October 2026's major version: each lives about a year, v22
 *   was sunset on 2026-10-07), `GOOGLE_ADS_REQUESTS_PER_SECOND` (10 over every replica: Google
 *   publishes no number — it meters queries per second per customer id and per Cloud project with
 *   a token bucket whose size follows server load — so the start is modest and, after a RESOURCE_EXHAUSTED,
 *   the client lowers it to ¾ of the rate Google was answering and doubles it back each quiet minute; https://developers.google.com/google-ads/api/docs/productionize/rate-limits);
 * - Meta: the Meta client's `metaEnvSchema` (`META_GRAPH_URL`, `META_CONVERSION_ACTION_TYPES`,
 *   `META_ASYNC_REPORT_MIN_DAYS`, `META_PAGE_SIZE`, `META_ACCOUNT_CALLS_PER_SECOND`,
 *   `META_APP_CALLS_PER_SECOND`, `META_SLOW_DOWN_AT_PCT`, `META_PAUSE_AT_PCT`).
 * @param env - defaults to `process.env`.
 * @throws ConfigError naming every bad or missing variable (never their values).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AdsWorkerConfig {
  return loadAppConfig({ name: 'ads-worker', defaults: ADS_WORKER_DEFAULTS, envSchema: adsEnvSchema, resolve: resolveAdsConfig }, env);
}

function resolveAdsConfig(e: z.output<typeof adsEnvSchema>, worker: WorkerConfig): AdsWorkerConfig {
  return Object.freeze({
    worker,
    keyPrefix: appKeyPrefix({ redis: worker.redis, prefix: worker.prefix }, QUEUE_NAMES.ads, ADS_WORKER_KEY_NAMESPACE),
    tokens: Object.freeze({ url: e.ADS_TOKEN_URL, secret: e.ADS_TOKEN_SECRET, timeoutMs: e.ADS_TOKEN_TIMEOUT_MS }),
    google: Object.freeze({
      apiUrl: e.GOOGLE_ADS_API_URL,
      apiVersion: e.GOOGLE_ADS_API_VERSION,
      developerToken: e.GOOGLE_ADS_DEVELOPER_TOKEN ?? null,
      loginCustomerId: e.GOOGLE_ADS_LOGIN_CUSTOMER_ID ?? null,
      requestsPerSecond: e.GOOGLE_ADS_REQUESTS_PER_SECOND,
    }),
    meta: metaAdsClientConfigFromEnv(e, e.ADS_MAX_IN_PROCESS_WAIT_MS),
    maxInProcessWaitMs: e.ADS_MAX_IN_PROCESS_WAIT_MS,
    report: Object.freeze({ ttlMs: e.ADS_REPORT_TTL_MS, maxBytes: e.ADS_REPORT_MAX_BYTES, maxChartedCampaigns: e.ADS_REPORT_MAX_CHARTED_CAMPAIGNS }),
    asOfDate: e.ADS_AS_OF_DATE ?? null,
  });
}
