/**
 * The provider refused the access token (HTTP 401 from Gmail or Graph): expired, revoked or
 * rotated since it was issued.
 *
 * Thrown by mapGmailError / mapGraphError. withAccessToken catches it and tries once more with
 * a freshly issued token; a second refusal becomes MailboxNotConnectedError (the grant itself
 * is gone). So it never reaches toJobError on its own.
 */
export class ProviderAuthError extends Error {
  override readonly name = 'ProviderAuthError';
}
