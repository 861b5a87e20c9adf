/** One `GoogleAdsError` of a `GoogleAdsFailure` (REST JSON names). */
export interface FakeGoogleAdsErrorEntry {
  /** One-key object naming the error enum and its value, e.g. `{ quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' }`. */
  readonly errorCode: Readonly<Record<string, string>>;
  readonly message: string;
  /** `ErrorDetails`, e.g. `{ quotaErrorDetails: { rateScope, rateName, retryDelay: '30s' } }`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * An error the fake Google Ads API answers: a `google.rpc.Status` in its REST JSON mapping
 * (`{ error: { code, message, status, details } }`) whose `details` holds, for errors the Ads
 * API raises itself, one `GoogleAdsFailure` (`@type`
 * `type.googleapis.com/google.ads.googleads.<version>.errors.GoogleAdsFailure`, `errors`,
 * `requestId`). Errors of Google's front end (missing or bad OAuth token, 503) carry no failure.
 * Shapes from https://developers.google.com/google-ads/api/docs/concepts/error-handling and the
 * `GoogleAdsFailure` / `QuotaErrorDetails` references.
 */
export class FakeGoogleAdsError extends Error {
  constructor(
    /** HTTP status, e.g. 429. */
    readonly httpStatus: number,
    /** The canonical `google.rpc.Code` name, e.g. `RESOURCE_EXHAUSTED`. */
    readonly status: string,
    message: string,
    /** The Ads API's own errors; empty for front-end errors. */
    readonly failures: readonly FakeGoogleAdsErrorEntry[] = [],
  ) {
    super(message);
  }

  /** The `{ error: Status }` JSON object for `version` (e.g. `v26`). */
  toJson(version: string, requestId: string): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { code: this.httpStatus, message: this.message, status: this.status };
    if (this.failures.length > 0) {
      error['details'] = [{ '@type': `type.googleapis.com/google.ads.googleads.${version}.errors.GoogleAdsFailure`, errors: this.failures, requestId }];
    }
    return { error };
  }
}

const FAILED_ADS = 'Request contains an invalid argument.';

/** Which bucket a quota refusal came from: the Cloud project's (`DEVELOPER`) or one customer's (`ACCOUNT`). */
export type FakeGoogleAdsRateScope = 'DEVELOPER' | 'ACCOUNT';

function rateNameOf(code: string, scope: FakeGoogleAdsRateScope): string {
  if (code === 'RESOURCE_EXHAUSTED') return 'Number of operations for basic access';
  return scope === 'ACCOUNT' ? 'Requests per account' : 'Requests per project';
}

/** The errors the fake answers, named after what causes them. */
export const fakeGoogleAdsErrors = {
  /** No `Authorization: Bearer` header (front end: no failure detail). */
  missingCredential: () =>
    new FakeGoogleAdsError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.'),
  /** A bearer token the fake does not accept (front end: no failure detail). */
  invalidCredential: () =>
    new FakeGoogleAdsError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'),
  /** Wrong or missing `developer-token` while the fake enforces one (the API's behaviour before the 2026-09-09 sunset). */
  developerTokenInvalid: () =>
    new FakeGoogleAdsError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.', [
      { errorCode: { authenticationError: 'DEVELOPER_TOKEN_INVALID' }, message: 'The developer token is not valid.' },
    ]),
  /** The token's user cannot reach this customer (or it does not exist). */
  userPermissionDenied: (customerId: string) =>
    new FakeGoogleAdsError(403, 'PERMISSION_DENIED', 'The caller does not have permission', [
      {
        errorCode: { authorizationError: 'USER_PERMISSION_DENIED' },
        message: `User doesn't have permission to access customer ${customerId}. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.`,
      },
    ]),
  /**
   * The worker's own setup refused (HTTP 403 `PERMISSION_DENIED`): an `authorizationError` such
   * as `CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION` (v25+: the Cloud project is approved for test
   * accounts only), `DEVELOPER_TOKEN_NOT_APPROVED`, `DEVELOPER_TOKEN_PROHIBITED`, `PROJECT_DISABLED`
   * (https://developers.google.com/google-ads/api/reference/rpc/v26/AuthorizationErrorEnum.AuthorizationError).
   */
  projectRefused: (code: string) =>
    new FakeGoogleAdsError(403, 'PERMISSION_DENIED', 'The caller does not have permission', [
      { errorCode: { authorizationError: code }, message: code === 'CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION' ? 'The Google Cloud project is only approved for use with test accounts.' : `Authorization of the Google Cloud project failed (${code}).` },
    ]),
  /** The customer account is cancelled or not yet enabled. */
  customerNotEnabled: () =>
    new FakeGoogleAdsError(403, 'PERMISSION_DENIED', 'The caller does not have permission', [
      { errorCode: { authorizationError: 'CUSTOMER_NOT_ENABLED' }, message: "The customer account can't be accessed because it is not yet enabled or has been deactivated." },
    ]),
  /** The customer id in the path is not 10 digits. */
  invalidCustomerId: () =>
    new FakeGoogleAdsError(400, 'INVALID_ARGUMENT', FAILED_ADS, [{ errorCode: { requestError: 'INVALID_CUSTOMER_ID' }, message: 'Customer ID is invalid.' }]),
  /** A GAQL problem, e.g. `('UNRECOGNIZED_FIELD', "Unrecognized field in the query: 'metrics.foo'.")`. */
  queryError: (code: string, message: string) => new FakeGoogleAdsError(400, 'INVALID_ARGUMENT', FAILED_ADS, [{ errorCode: { queryError: code }, message }]),
  /** A body that is not `{ query }` JSON. */
  badRequestBody: (message: string) => new FakeGoogleAdsError(400, 'INVALID_ARGUMENT', message),
  /**
   * Throttled: HTTP 429 `RESOURCE_EXHAUSTED` with a `quotaError` and `quotaErrorDetails`
   * (`rateScope`, `rateName`, `retryDelay` as a protobuf Duration string, e.g. `"30s"`).
   * `RESOURCE_TEMPORARILY_EXHAUSTED` is the short-term (requests per second) refusal;
   * `RESOURCE_EXHAUSTED` the daily one. `rateScope` (default `DEVELOPER`): `DEVELOPER` is the
   * Google Cloud project's bucket (formerly the developer token's), `ACCOUNT` one customer's
   * (https://developers.google.com/google-ads/api/reference/rpc/v26/QuotaErrorDetails.QuotaRateScope).
   */
  quota: (retryDelaySeconds: number, code: 'RESOURCE_TEMPORARILY_EXHAUSTED' | 'RESOURCE_EXHAUSTED' = 'RESOURCE_TEMPORARILY_EXHAUSTED', rateScope: FakeGoogleAdsRateScope = 'DEVELOPER') =>
    new FakeGoogleAdsError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
      {
        errorCode: { quotaError: code },
        message: `Too many requests. Retry in ${retryDelaySeconds} seconds.`,
        details: { quotaErrorDetails: { rateScope, rateName: rateNameOf(code, rateScope), retryDelay: `${retryDelaySeconds}s` } },
      },
    ]),
  /** An injected 500. */
  internal: () =>
    new FakeGoogleAdsError(500, 'INTERNAL', 'Internal error encountered.', [
      { errorCode: { internalError: 'INTERNAL_ERROR' }, message: 'An internal error has occurred.' },
    ]),
  /** An injected 503 (front end). */
  unavailable: () => new FakeGoogleAdsError(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
  /** A path the fake does not serve. */
  notFound: (path: string) => new FakeGoogleAdsError(404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`),
} as const;
