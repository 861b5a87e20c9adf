/**
 * What the Google Ads client needs of the app's configuration (the app's `AdsGoogleConfig`
 * plus `maxInProcessWaitMs` fits it).
 * - `apiUrl`: GOOGLE_ADS_API_URL, e.g. `https://googleads.googleapis.com` (a fake's URL in tests);
 * - `apiVersion`: GOOGLE_ADS_API_VERSION, e.g. `v26` (the path segment);
 * - `developerToken`: GOOGLE_ADS_DEVELOPER_TOKEN, sent as the `developer-token` header when set.
 *   Google sunset developer tokens on 2026-09-09: access now follows the Google Cloud project of
 *   the OAuth client and the API ignores the header, so null is fine
 *   (https://developers.google.com/google-ads/api/docs/api-policy/developer-token);
 * - `loginCustomerId`: GOOGLE_ADS_LOGIN_CUSTOMER_ID (10 digits) sent as `login-customer-id`
 *   unless the token endpoint names the account's own manager;
 * - `requestsPerSecond`: GOOGLE_ADS_REQUESTS_PER_SECOND, the shared ceiling (see GoogleAdsThrottle);
 * - `maxInProcessWaitMs`: ADS_MAX_IN_PROCESS_WAIT_MS, the longest quota wait held inside a job;
 * - `transientRetries`: in-client retries of a 5xx / network failure before it is the job's
 *   (transient) error; default 2, after 1 s then 2 s.
 */
export interface GoogleAdsClientConfig {
  readonly apiUrl: string;
  readonly apiVersion: string;
  readonly developerToken: string | null;
  readonly loginCustomerId: string | null;
  readonly requestsPerSecond: number;
  readonly maxInProcessWaitMs: number;
  readonly transientRetries?: number;
}
