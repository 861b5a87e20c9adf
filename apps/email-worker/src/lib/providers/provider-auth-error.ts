/** The provider refused the access token (HTTP 401). */
export class ProviderAuthError extends Error {
  override readonly name = 'ProviderAuthError';
}
