/** The provider failed for a passing reason (5xx, network error, timeout): try again. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}
