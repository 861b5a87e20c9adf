/**
 * Vapi failed for a passing reason: a 5xx, a 408, a timeout, or no answer at all. Thrown by the
 * Vapi client. While a placed call is followed it only delays the next check (the call goes on
 * whatever our reads do); anywhere else it is a failed attempt, retried with the job's backoff.
 */
export class VapiUnavailableError extends Error {
  override readonly name = 'VapiUnavailableError';
  constructor(message = 'Vapi is unavailable', options?: ErrorOptions) {
    super(message, options);
  }
}
