import { z } from 'zod';
import { httpUrlSchema } from '@jobs/queue-contracts';
import { loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';

/**
 * Defaults of the ads worker: concurrency 4, 1 job/s, health port 9106, 10 min per attempt.
 *
 * Why these: a job is a handful of API calls (account, campaigns, the period, the previous
 * period, hourly cost of capped days: 5 Google `searchStream` requests, each one "operation";
 * on Meta 4–5 Graph calls, more with paging) followed by well under a second of CPU for the
 * analysis and the report. The platforms' quotas, not this process, are the bottleneck, and the
 * clients pace every call through the Redis-shared RateLimiter per developer token (Google) and
 * per ad account and app (Meta), so concurrency only decides how many accounts wait on the APIs
 * at once. 4 keeps a small pod busy while a slow insights call runs, and 1 job started per
 * second per process (~5 calls/s) stays within Google's per-token request rate and spreads a
 * morning burst of scheduled analyses, so Meta's usage headers (x-business-use-case-usage) rise
 * gradually and the clients slow down before Meta refuses. Daily budgets bound it too: a Basic
 * access developer token has 15 000 operations a day (~3 000 jobs); Meta's `ads_insights`
 * business-use-case quota is per ad account and hour.
 * Sources: https://developers.google.com/google-ads/api/docs/best-practices/quotas and
 * https://developers.facebook.com/docs/marketing-api/overview/rate-limiting.
 */
export const ADS_WORKER_DEFAULTS = Object.freeze({ concurrency: 4, maxJobsPerSecond: 1, healthPort: 9106, jobTimeoutMs: 600_000 });

/** Google Ads API settings (null developer token: Google jobs fail naming `GOOGLE_ADS_DEVELOPER_TOKEN`). */
export interface AdsGoogleConfig {
  readonly apiUrl: string;
  readonly apiVersion: string;
  readonly developerToken: string | null;
  /** 10 digits, or null. */
  readonly loginCustomerId: string | null;
  readonly requestsPerSecond: number;
}

/** Meta Marketing API settings. */
export interface AdsMetaConfig {
  readonly graphUrl: string;
  readonly apiVersion: string;
  readonly conversionActionTypes: readonly string[];
  readonly asyncReportMinDays: number;
}

/** The ads worker's resolved configuration. */
export interface AdsWorkerConfig {
  readonly worker: WorkerConfig;
  /** `<BULLMQ_PREFIX>:ads-worker`: the app's Redis keys (rate limiters, reports). */
  readonly keyPrefix: string;
  /** The web app's token endpoint. */
  readonly tokens: Readonly<{ url: string; secret: string; timeoutMs: number }>;
  readonly google: AdsGoogleConfig;
  readonly meta: AdsMetaConfig;
  /** Longest wait for a platform's quota spent inside the job (ms); longer → RetryLaterError. */
  readonly maxInProcessWaitMs: number;
  readonly report: Readonly<{ ttlMs: number; maxBytes: number; maxChartedCampaigns: number }>;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const DAY_MS = 86_400_000;

const adsEnvSchema = z.object({
  ADS_TOKEN_URL: httpUrlSchema,
  ADS_TOKEN_SECRET: z.string().min(1, 'is required'),
  ADS_TOKEN_TIMEOUT_MS: int(1000, 120_000).default(10_000),
  ADS_MAX_IN_PROCESS_WAIT_MS: int(0, 600_000).default(60_000),
  ADS_REPORT_TTL_MS: int(60_000, 90 * DAY_MS).default(7 * DAY_MS),
  ADS_REPORT_MAX_BYTES: int(64 * 1024, 64 * 1024 * 1024).default(8 * 1024 * 1024),
  ADS_REPORT_MAX_CHARTED_CAMPAIGNS: int(0, 200).default(20),
  GOOGLE_ADS_API_URL: httpUrlSchema.default('https://googleads.googleapis.com'),
  GOOGLE_ADS_API_VERSION: z.string().regex(/^v\d+$/, 'must look like v22').default('v22'),
  GOOGLE_ADS_DEVELOPER_TOKEN: z.string().min(1).optional(),
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: z
    .string()
    .transform((v) => v.replaceAll('-', ''))
    .pipe(z.string().regex(/^\d{10}$/, 'must be a 10-digit customer id (dashes allowed)'))
    .optional(),
  GOOGLE_ADS_REQUESTS_PER_SECOND: z.coerce.number().positive().max(1000).default(10),
  META_GRAPH_URL: httpUrlSchema.default('https://graph.facebook.com'),
  META_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v24.0').default('v24.0'),
  META_CONVERSION_ACTION_TYPES: z
    .string()
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string()).min(1, 'must name at least one action type'))
    .default(['offsite_conversion.fb_pixel_purchase']),
  META_ASYNC_REPORT_MIN_DAYS: int(1, 1126).default(90),
});

/**
 * Reads the ads worker's configuration: the worker kit's variables plus
 * - `ADS_TOKEN_URL`, `ADS_TOKEN_SECRET` (required), `ADS_TOKEN_TIMEOUT_MS` (10000);
 * - `ADS_MAX_IN_PROCESS_WAIT_MS` (60000): longer platform waits give the slot back (RetryLaterError);
 * - `ADS_REPORT_TTL_MS` (7 days), `ADS_REPORT_MAX_BYTES` (8 MiB of HTML),
 *   `ADS_REPORT_MAX_CHARTED_CAMPAIGNS` (20);
 * - Google: `GOOGLE_ADS_DEVELOPER_TOKEN` (optional here: without it Google jobs fail naming it,
 *   Meta jobs run), `GOOGLE_ADS_LOGIN_CUSTOMER_ID`, `GOOGLE_ADS_API_URL`
 *   (https://googleads.googleapis.com), `GOOGLE_ADS_API_VERSION`, `GOOGLE_ADS_REQUESTS_PER_SECOND`;
 * - Meta: `META_GRAPH_URL` (https://graph.facebook.com), `META_API_VERSION` (v24.0),
 *   `META_CONVERSION_ACTION_TYPES` (comma list; offsite_conversion.fb_pixel_purchase),
 *   `META_ASYNC_REPORT_MIN_DAYS` (90).
 * @param env - defaults to `process.env`.
 * @throws ConfigError naming every bad or missing variable (never their values).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AdsWorkerConfig {
  return loadAppConfig({ name: 'ads-worker', defaults: ADS_WORKER_DEFAULTS, envSchema: adsEnvSchema, resolve: resolveAdsConfig }, env);
}

function resolveAdsConfig(e: z.output<typeof adsEnvSchema>, worker: WorkerConfig): AdsWorkerConfig {
  return Object.freeze({
    worker,
    keyPrefix: `${worker.prefix}:ads-worker`,
    tokens: Object.freeze({ url: e.ADS_TOKEN_URL, secret: e.ADS_TOKEN_SECRET, timeoutMs: e.ADS_TOKEN_TIMEOUT_MS }),
    google: Object.freeze({
      apiUrl: e.GOOGLE_ADS_API_URL,
      apiVersion: e.GOOGLE_ADS_API_VERSION,
      developerToken: e.GOOGLE_ADS_DEVELOPER_TOKEN ?? null,
      loginCustomerId: e.GOOGLE_ADS_LOGIN_CUSTOMER_ID ?? null,
      requestsPerSecond: e.GOOGLE_ADS_REQUESTS_PER_SECOND,
    }),
    meta: Object.freeze({
      graphUrl: e.META_GRAPH_URL,
      apiVersion: e.META_API_VERSION,
      conversionActionTypes: Object.freeze([...e.META_CONVERSION_ACTION_TYPES]),
      asyncReportMinDays: e.META_ASYNC_REPORT_MIN_DAYS,
    }),
    maxInProcessWaitMs: e.ADS_MAX_IN_PROCESS_WAIT_MS,
    report: Object.freeze({ ttlMs: e.ADS_REPORT_TTL_MS, maxBytes: e.ADS_REPORT_MAX_BYTES, maxChartedCampaigns: e.ADS_REPORT_MAX_CHARTED_CAMPAIGNS }),
  });
}
