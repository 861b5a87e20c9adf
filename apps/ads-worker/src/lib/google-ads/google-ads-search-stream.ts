import { setTimeout as sleep } from 'node:timers/promises';
import { OAuth2Client } from 'google-auth-library';
import { PermanentJobError, RetryLaterError, type Logger } from '@jobs/worker-kit';
import type { AdAccountCredentials, AdAccountGrant } from '../ad-account-credentials';
import type { AdsRequestContext } from '../ads-data';
import type { GoogleAdsClientConfig } from './google-ads-client-config';
import { googleAdsConfigurationProblem } from './google-ads-configuration-problem';
import { findGoogleAdsStatus, parseGoogleAdsFailure, type GoogleAdsFailure } from './google-ads-failure';
import type { GoogleAdsScopedThrottle } from './google-ads-scoped-throttle';

/** One `GoogleAdsRow` as JSON (camelCase resources: `campaign`, `metrics`, `segments`, …). */
export type GoogleAdsRowJson = Readonly<Record<string, unknown>>;

/** Dependencies of {@link GoogleAdsSearchStream}. */
export interface GoogleAdsSearchStreamDeps {
  readonly credentials: AdAccountCredentials;
  readonly config: GoogleAdsClientConfig;
  readonly throttle: GoogleAdsScopedThrottle;
  /** Told of refusals and retried failures (codes and request ids only). */
  readonly log?: Logger;
}

/** Refusals met by one request before it gives the slot back. */
const MAX_REFUSALS_PER_REQUEST = 5;
/** The pause when a refusal names no retryDelay. */
const DEFAULT_RETRY_DELAY_MS = 30_000;

/**
 * Runs GAQL queries with `POST {apiUrl}/{version}/customers/{customerId}/googleAds:searchStream`
 * (https://developers.google.com/google-ads/api/rest/common/search) through google-auth-library's
 * `OAuth2Client` (the access token set as its credentials; it adds the `Authorization` header),
 * with `developer-token` (when configured) and `login-customer-id` (the grant's, else the
 * configured one). Every request first takes a slot of the shared throttle (the customer's, then
 * the project's: see GoogleAdsScopedThrottle). What happens on errors:
 * - 429 / `RESOURCE_EXHAUSTED`: the throttle of the refusal's `rateScope` (`ACCOUNT`: this
 *   customer only; else the whole project) pauses every process for `retryDelay` (30 s when
 *   none is given) and lowers that scope's shared rate (see GoogleAdsThrottle); waited here when ≤
 *   `maxInProcessWaitMs`, else (or after 5 refusals of one request) RetryLaterError — no attempt used;
 * - an error that means the worker's own configuration is wrong (developer token, Cloud project:
 *   see googleAdsConfigurationProblem): a plain Error naming GOOGLE_ADS_DEVELOPER_TOKEN / the
 *   Cloud project and saying it is not the user's doing — no token refresh, the job's attempts apply;
 * - 401: the grant is asked again with `forceRefresh`, once; a second 401 → PermanentJobError
 *   (the user must reconnect the ad account);
 * - 403 (`USER_PERMISSION_DENIED`, `CUSTOMER_NOT_ENABLED`, …), 404, 400 → PermanentJobError
 *   naming the job's `accountId` and Google's codes;
 * - 5xx, an error inside the stream, a network failure: retried `transientRetries` times (1 s,
 *   2 s), then a plain Error (the job's attempts apply).
 * Errors carry Google's codes and messages only, never the request's headers.
 */
export class GoogleAdsSearchStream {
  constructor(private readonly deps: GoogleAdsSearchStreamDeps) {}

  /**
   * Every row of `query` for the ad account of `ctx`, in the order streamed.
   * @throws PermanentJobError, RetryLaterError or Error as above; the signal's reason when aborted.
   */
  async rows(ctx: AdsRequestContext, query: string): Promise<GoogleAdsRowJson[]> {
    const { credentials, config, throttle } = this.deps;
    let grant = await credentials.getGrant('google', ctx.userId, ctx.accountId, { forceRefresh: false, signal: ctx.signal });
    const customerId = googleCustomerId(grant.platformAccountId, ctx.accountId);
    let refreshed = false;
    let refusals = 0;
    let transient = 0;
    for (;;) {
      const ticket = await throttle.acquire(customerId, ctx.signal, ctx.note);
      const answer = await this.send(grant, customerId, query, ctx.signal);
      // What Google answered counts against its quota (a refusal, or no answer at all, does not).
      if (answer.ok || (answer.failure.httpStatus > 0 && answer.failure.httpStatus !== 429 && answer.failure.status !== 'RESOURCE_EXHAUSTED')) await throttle.accepted(customerId);
      if (answer.ok) return answer.rows;
      const failure = answer.failure;
      if (failure.httpStatus === 429 || failure.status === 'RESOURCE_EXHAUSTED') {
        const delayMs = failure.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
        const { scope, requestsPerSecond: rate } = await throttle.refused(customerId, failure.rateScope, delayMs, ticket);
        refusals++;
        this.deps.log?.warn(
          { codes: failure.errorCodes, rateScope: failure.rateScope, requestId: failure.requestId, delayMs, requestsPerSecond: rate },
          scope === 'customer' ? 'Google Ads refused a request (account quota): requests for this customer pause and slow down' : 'Google Ads refused a request (quota): every process pauses and slows down',
        );
        if (delayMs > config.maxInProcessWaitMs || refusals >= MAX_REFUSALS_PER_REQUEST) {
          throw new RetryLaterError(delayMs, `Google Ads quota: ${failure.message} (${failure.errorCodes.join(', ') || failure.status}); retrying in ${Math.ceil(delayMs / 1000)} s`);
        }
        ctx.note?.(`Google Ads asked to slow down (${failure.errorCodes.join(', ') || 'RESOURCE_EXHAUSTED'}${scope === 'customer' ? ', this account' : ''}): pausing ${Math.ceil(delayMs / 1000)} s, then ${round(rate)} requests/s`);
        continue;
      }
      const configurationProblem = googleAdsConfigurationProblem(failure);
      if (configurationProblem !== null) {
        // The worker's own setup, not the user's grant: no token refresh, nothing for the user
        // to reconnect; a plain Error, so the job's attempts apply while an operator fixes it.
        throw new Error(`Google Ads refused the worker's configuration for ad account ${ctx.accountId} (${describe(failure)}): ${configurationProblem}`);
      }
      if (failure.httpStatus === 401 && !refreshed) {
        refreshed = true;
        grant = await credentials.getGrant('google', ctx.userId, ctx.accountId, { forceRefresh: true, signal: ctx.signal });
        continue;
      }
      if (failure.httpStatus === 401) {
        throw new PermanentJobError(`Google Ads refused the access token of ad account ${ctx.accountId} again after a refresh (${describe(failure)}): the user must reconnect the ad account`);
      }
      if (failure.httpStatus === 403 || failure.httpStatus === 404) {
        throw new PermanentJobError(`Google Ads denied access to customer ${customerId} (ad account ${ctx.accountId}): ${describe(failure)}`);
      }
      if (failure.httpStatus >= 400 && failure.httpStatus < 500) {
        throw new PermanentJobError(`Google Ads refused the request for ad account ${ctx.accountId}: ${describe(failure)}`);
      }
      if (transient >= (config.transientRetries ?? 2)) {
        throw new Error(`Google Ads failed for ad account ${ctx.accountId} after ${transient + 1} tries: ${describe(failure)}`);
      }
      this.deps.log?.warn({ httpStatus: failure.httpStatus, codes: failure.errorCodes, requestId: failure.requestId }, 'Google Ads request failed; retrying');
      await sleep(1000 * 2 ** transient, undefined, { signal: ctx.signal });
      transient++;
    }
  }

  private async send(grant: AdAccountGrant, customerId: string, query: string, signal: AbortSignal): Promise<{ ok: true; rows: GoogleAdsRowJson[] } | { ok: false; failure: GoogleAdsFailure }> {
    const { config } = this.deps;
    const client = new OAuth2Client();
    client.setCredentials({ access_token: grant.accessToken });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (config.developerToken) headers['developer-token'] = config.developerToken;
    const login = grant.loginCustomerId ?? config.loginCustomerId;
    if (login) headers['login-customer-id'] = login.replaceAll('-', '');
    let status: number;
    let data: unknown;
    try {
      const res = await client.request<unknown>({
        url: `${config.apiUrl.replace(/\/+$/, '')}/${config.apiVersion}/customers/${customerId}/googleAds:searchStream`,
        method: 'POST',
        headers,
        data: { query },
        responseType: 'json',
        signal,
        // Node's own fetch: gaxios otherwise loads node-fetch by a dynamic import(), which
        // bundles and test sandboxes do not always allow.
        fetchImplementation: fetch,
        // Every status comes back as an answer: errors are read here, never thrown with the
        // request (and its Authorization header) attached.
        validateStatus: () => true,
      });
      status = res.status;
      data = res.data;
    } catch (err) {
      signal.throwIfAborted();
      return { ok: false, failure: { httpStatus: 0, status: 'UNAVAILABLE', errorCodes: [], retryDelayMs: null, rateScope: null, message: `no answer: ${(err as Error).message}`, requestId: null } };
    }
    if (status !== 200) return { ok: false, failure: parseGoogleAdsFailure(status, data) };
    if (!Array.isArray(data)) return { ok: false, failure: { httpStatus: 502, status: null, errorCodes: [], retryDelayMs: null, rateScope: null, message: 'searchStream answered something other than a JSON array', requestId: null } };
    // An error met after streaming began arrives as an array element of its own.
    if (findGoogleAdsStatus(data) !== null) {
      const failure = parseGoogleAdsFailure(200, data);
      return { ok: false, failure: { ...failure, httpStatus: failure.status === 'RESOURCE_EXHAUSTED' ? 429 : 500 } };
    }
    const rows: GoogleAdsRowJson[] = [];
    for (const batch of data as { results?: unknown }[]) {
      if (batch?.results === undefined) continue;
      if (!Array.isArray(batch.results)) return { ok: false, failure: { httpStatus: 502, status: null, errorCodes: [], retryDelayMs: null, rateScope: null, message: 'a searchStream batch has non-array results', requestId: null } };
      for (const row of batch.results) if (row && typeof row === 'object') rows.push(row as GoogleAdsRowJson);
    }
    return { ok: true, rows };
  }
}

/**
 * The Google Ads customer id of a grant: dashes removed, 10 digits.
 * @throws PermanentJobError naming the job's `accountId` otherwise.
 */
export function googleCustomerId(platformAccountId: string, accountId: string): string {
  const id = platformAccountId.replaceAll('-', '');
  if (!/^\d{10}$/.test(id)) throw new PermanentJobError(`accountId ${JSON.stringify(accountId)} does not resolve to a Google Ads customer id (10 digits)`);
  return id;
}

function describe(failure: GoogleAdsFailure): string {
  const codes = failure.errorCodes.length > 0 ? failure.errorCodes.join(', ') : (failure.status ?? `HTTP ${failure.httpStatus}`);
  return `${codes}: ${failure.message}${failure.requestId ? ` (request ${failure.requestId})` : ''}`;
}

function round(n: number): string {
  return n >= 10 ? n.toFixed(0) : n.toPrecision(2);
}
