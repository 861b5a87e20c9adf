/**
 * The provider refused the request for a reason retrying will not fix (400, a 403 that is not
 * throttling, e.g. a missing OAuth scope).
 */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';
}
