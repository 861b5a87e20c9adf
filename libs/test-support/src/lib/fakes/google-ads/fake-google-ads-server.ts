import { startTestServer } from '../../start-test-server';
import { SlidingWindowRateLimiter } from '../apify/fake-apify-rate-limiter';
import type { FakeGoogleAdsRateScope } from './fake-google-ads-error';
import { FakeGoogleAdsFaults, type FakeGoogleAdsFailNextOptions } from './fake-google-ads-faults';
import type { FakeGoogleAdsCampaignSettings } from './fake-google-ads-rows';
import { createGoogleAdsRequestHandler, type FakeGoogleAdsRecordedRequest, type FakeGoogleAdsServerState } from './fake-google-ads-request-handler';

export type { FakeGoogleAdsFailNextOptions } from './fake-google-ads-faults';
export type { FakeGoogleAdsRecordedRequest } from './fake-google-ads-request-handler';
export type { FakeGoogleAdsRateScope } from './fake-google-ads-error';
export type { FakeGoogleAdsCampaignSettings } from './fake-google-ads-rows';

/**
 * The fake's quota: at most `requests` accepted requests in any sliding window of `windowMs`
 * (less `slackMs`, default 10, for timer jitter of a client pacing at exactly the limit),
 * counted over every customer — one Cloud project's bucket, `rateScope` `DEVELOPER` (default)
 * — or for each customer on its own (`rateScope` `ACCOUNT`). Beyond it: 429
 * `RESOURCE_EXHAUSTED`, `quotaError: RESOURCE_TEMPORARILY_EXHAUSTED`, `quotaErrorDetails` with
 * that `rateScope` and `retryDelay` `retryDelaySeconds` (default 1).
 * Refused requests are not counted. Google meters with a token bucket whose size it does not
 * publish (https://developers.google.com/google-ads/api/docs/productionize/rate-limits); a
 * sliding window is the strictest reading of "N per window".
 */
export interface FakeGoogleAdsQuota {
  readonly requests: number;
  readonly windowMs: number;
  readonly retryDelaySeconds?: number;
  readonly slackMs?: number;
  readonly rateScope?: FakeGoogleAdsRateScope;
}

/** Options of {@link startFakeGoogleAdsServer}. */
export interface FakeGoogleAdsServerOptions {
  /**
   * When set, every request must send exactly this `developer-token` (401
   * `DEVELOPER_TOKEN_INVALID` otherwise), as the API did before developer tokens were sunset on
   * 2026-09-09; when unset the header is recorded and ignored, as the API does now
   * (https://developers.google.com/google-ads/api/docs/api-policy/developer-token).
   */
  readonly developerToken?: string;
  /**
   * Accepted bearer tokens → the customer ids each reaches (`'*'`: every synthetic Google
   * account). Default: any token reaches every account.
   */
  readonly accessTokens?: Readonly<Record<string, readonly string[] | '*'>>;
  readonly quota?: FakeGoogleAdsQuota;
  /** Customer ids answered 403 `CUSTOMER_NOT_ENABLED`. */
  readonly disabledCustomers?: readonly string[];
  /** Rows per streamed batch; default 10 000, the API's. */
  readonly batchSize?: number;
  /**
   * API versions served (the path's first segment); any other answers 404, as a sunset version
   * does. Default `v23`–`v26`, the major versions live in November 2026
   * (https://developers.google.com/google-ads/api/docs/sunset-dates: v22 was sunset on 2026-10-07).
   */
  readonly versions?: readonly string[];
  /** Failures injected from the start (see {@link FakeGoogleAdsServer.failNext}). */
  readonly faults?: readonly FakeGoogleAdsFailNextOptions[];
  /**
   * Settings of synthetic campaigns the synthetic accounts do not carry, by campaign id: a
   * shared budget, an end date (see FakeGoogleAdsCampaignSettings).
   */
  readonly campaignSettings?: Readonly<Record<string, FakeGoogleAdsCampaignSettings>>;
}

/**
 * A fake Google Ads API (REST) on a loopback port, serving
 * `POST /{version}/customers/{customerId}/googleAds:searchStream` with body `{ query }` over
 * the synthetic Google accounts (`SYNTHETIC_AD_ACCOUNTS`), in the API's JSON wire format: the
 * answer is an array of `{ results: GoogleAdsRow[], fieldMask, requestId }` batches; int64
 * values (ids, `impressions`, `clicks`, `costMicros`, `amountMicros`) as strings, doubles
 * (`conversions`, `conversionsValue` in currency units) as numbers, enums as names, camelCase
 * names, `resourceName` on each resource. GAQL: see `parseFakeGaql` and `runFakeGoogleAdsQuery`
 * (customer and campaign fields, metrics impressions/clicks/cost_micros/conversions/
 * conversions_value, segments.date/hour; WHERE on segments.date, campaign.id, campaign.status;
 * campaign serving/primary status, end date and shared budgets per `campaignSettings`).
 * Errors: `[{ error: { code, message, status, details: [GoogleAdsFailure] } }]` — 401
 * `UNAUTHENTICATED` (no or unknown bearer token; wrong developer token when enforced), 403
 * `PERMISSION_DENIED` (`USER_PERMISSION_DENIED`: unknown customer or out of the token's
 * reach; `CUSTOMER_NOT_ENABLED`), 400 `INVALID_ARGUMENT` (`queryError`, `requestError`), 429
 * `RESOURCE_EXHAUSTED` with `quotaErrorDetails.retryDelay`, injected 500/503, 404 for other paths
 * and versions. `login-customer-id` is recorded, not checked against a manager hierarchy.
 * Reference: https://developers.google.com/google-ads/api/rest/common/search and
 * https://developers.google.com/google-ads/api/docs/concepts/error-handling.
 */
export interface FakeGoogleAdsServer {
  /** `http://127.0.0.1:PORT`: the client's API URL (GOOGLE_ADS_API_URL). */
  readonly url: string;
  /** Every request received, in arrival order, refused ones included. */
  readonly requests: readonly FakeGoogleAdsRecordedRequest[];
  /** How many 429 answers were sent (quota and injected). */
  readonly refusals: number;
  /** Replaces the quota (null: none) from now on; the new window starts empty. */
  setQuota(quota: FakeGoogleAdsQuota | null): void;
  /** Accepts `token` for `customers` (`'*'`: all) from now on (turns on token checking). */
  setAccessToken(token: string, customers: readonly string[] | '*'): void;
  /** Refuses `token` (401) from now on (turns on token checking). */
  revokeAccessToken(token: string): void;
  /** The next `count` matching authenticated requests fail (see the options). */
  failNext(options: FakeGoogleAdsFailNextOptions): void;
  /** Stops listening and cuts connections. Idempotent. */
  close(): Promise<void>;
}

/** Starts a {@link FakeGoogleAdsServer} on 127.0.0.1 at a free port. */
export async function startFakeGoogleAdsServer(options: FakeGoogleAdsServerOptions = {}): Promise<FakeGoogleAdsServer> {
  const state: FakeGoogleAdsServerState = {
    developerToken: options.developerToken,
    versions: new Set(options.versions ?? ['v23', 'v24', 'v25', 'v26']),
    accessTokens: options.accessTokens ? new Map(Object.entries(options.accessTokens)) : undefined,
    disabledCustomers: new Set(options.disabledCustomers ?? []),
    quota: toQuota(options.quota ?? null),
    faults: new FakeGoogleAdsFaults(),
    batchSize: options.batchSize ?? 10_000,
    campaignSettings: new Map(Object.entries(options.campaignSettings ?? {})),
    requests: [],
    refusals: 0,
  };
  for (const fault of options.faults ?? []) state.faults.failNext(fault);
  const server = await startTestServer(createGoogleAdsRequestHandler(state));
  let closed: Promise<void> | undefined;
  const tokens = (): Map<string, readonly string[] | '*'> => (state.accessTokens ??= new Map());
  return {
    url: server.origin,
    requests: state.requests,
    get refusals() {
      return state.refusals;
    },
    setQuota(quota) {
      state.quota = toQuota(quota);
    },
    setAccessToken(token, customers) {
      tokens().set(token, customers);
    },
    revokeAccessToken(token) {
      tokens().delete(token);
    },
    failNext: (o) => state.faults.failNext(o),
    close() {
      closed ??= server.close();
      return closed;
    },
  };
}

function toQuota(quota: FakeGoogleAdsQuota | null): FakeGoogleAdsServerState['quota'] {
  if (!quota) return undefined;
  return { limiter: new SlidingWindowRateLimiter(quota.requests, quota.windowMs, quota.slackMs ?? 10), retryDelaySeconds: quota.retryDelaySeconds ?? 1, rateScope: quota.rateScope ?? 'DEVELOPER' };
}
