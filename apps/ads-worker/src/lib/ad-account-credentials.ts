import type { AdPlatform } from '@jobs/queue-contracts';

/**
 * What the ads worker needs to call a platform for one connected ad account:
 * - `accessToken`: short-lived OAuth access token (Google Ads API or Meta Marketing API);
 * - `platformAccountId`: the platform's id of the account — Google customer id as 10 digits (no
 *   dashes), Meta `act_<digits>`;
 * - `loginCustomerId`: the Google Ads manager account to send as `login-customer-id` (10 digits),
 *   or null (the client then uses `GOOGLE_ADS_LOGIN_CUSTOMER_ID` if configured). Always null for Meta.
 */
export interface AdAccountGrant {
  readonly accessToken: string;
  readonly platformAccountId: string;
  readonly loginCustomerId: string | null;
}

/**
 * Where the platform clients get an ad account's grant at run time (never from job data).
 * Implemented by AppAdAccountCredentials (the web app's token endpoint); tests may pass a tiny
 * object.
 */
export interface AdAccountCredentials {
  /**
   * The grant of `accountId` (the job's `accountId`: the app's id of the connected account or
   * the platform's own id) of user `userId`.
   * @param opts.forceRefresh - true after the platform refused the last token (HTTP 401).
   * @throws PermanentJobError when the account is not connected (the user must reconnect it) or
   *   its id is not a usable platform id; Error (transient) when the endpoint cannot be asked.
   */
  getGrant(platform: AdPlatform, userId: string, accountId: string, opts: { forceRefresh: boolean; signal?: AbortSignal }): Promise<AdAccountGrant>;
}
