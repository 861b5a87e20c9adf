/** The thread, message or draft asked for does not exist in the mailbox (HTTP 404). */
export class ProviderNotFoundError extends Error {
  override readonly name = 'ProviderNotFoundError';
}
