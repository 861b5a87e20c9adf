/**
 * The provider (or the chat API) failed for a passing reason: a 5xx answer, a network error, a
 * request timeout.
 *
 * Thrown by mapGmailError / mapGraphError and the reply writer. Idempotent reads are retried in
 * place a few times (retryTransient); after that toJobError leaves it as it is, so the job's
 * attempt fails and BullMQ retries it with the job's backoff.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}
