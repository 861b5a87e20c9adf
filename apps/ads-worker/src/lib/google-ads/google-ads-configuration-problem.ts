import type { GoogleAdsFailure } from './google-ads-failure';

/** Error codes (`<enum>.<value>`) that mean the worker's Cloud project is not set up for the API. */
const PROJECT_CODES = new Set([
  'authorizationError.CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION',
  'authorizationError.CLOUD_PROJECT_NOT_UNDER_ORGANIZATION',
  'authorizationError.PROJECT_DISABLED',
  'authorizationError.MISSING_TOS',
]);

/**
 * Whether a Google Ads failure blames the worker's own configuration — its developer token or
 * its Google Cloud project — rather than the user's grant or ad account; if so, what to fix.
 * Codes, from the `AuthenticationError` and `AuthorizationError` enums
 * (https://developers.google.com/google-ads/api/reference/rpc/v26/AuthenticationErrorEnum.AuthenticationError,
 * https://developers.google.com/google-ads/api/reference/rpc/v26/AuthorizationErrorEnum.AuthorizationError):
 * - developer token (GOOGLE_ADS_DEVELOPER_TOKEN): any `DEVELOPER_TOKEN_*` of either enum
 *   (`authenticationError.DEVELOPER_TOKEN_INVALID`; `authorizationError.DEVELOPER_TOKEN_NOT_APPROVED`
 *   — only approved for test accounts, `DEVELOPER_TOKEN_PROHIBITED` — paired with another Cloud
 *   project, `DEVELOPER_TOKEN_NOT_ON_ALLOWLIST`), and `authenticationError.ORGANIZATION_*`
 *   (the project's Cloud organization is not associated with the token). Google deprecated
 *   these when it sunset developer tokens; older API versions and old setups still send them;
 * - Cloud project (the OAuth client's, which the token endpoint's tokens come from):
 *   `authorizationError.CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION` (v25+: approved for test
 *   accounts only; apply for Explorer, Basic or Standard access), `CLOUD_PROJECT_NOT_UNDER_ORGANIZATION`,
 *   `PROJECT_DISABLED` (the project may not call the API), `MISSING_TOS` (the API terms not accepted).
 * @returns a sentence naming what the operator must fix (and that the user need do nothing), or
 *   null when the failure is something else.
 */
export function googleAdsConfigurationProblem(failure: GoogleAdsFailure): string | null {
  const token = failure.errorCodes.some((code) => /^(authenticationError|authorizationError)\.DEVELOPER_TOKEN_/.test(code) || /^authenticationError\.ORGANIZATION_/.test(code));
  if (token) {
    return "the worker's configuration is wrong, not the user's account: check GOOGLE_ADS_DEVELOPER_TOKEN (and that its access level and Google Cloud project allow this account); the user need not reconnect";
  }
  if (failure.errorCodes.some((code) => PROJECT_CODES.has(code))) {
    return "the worker's configuration is wrong, not the user's account: the Google Cloud project of the worker's OAuth client is not set up or approved for the Google Ads API (access level, organization, terms); the user need not reconnect";
  }
  return null;
}
