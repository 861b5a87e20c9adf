/**
 * Vapi refused the request for a reason retrying will not fix: a 4xx other than 408, 429 and the
 * concurrency-limit 400 (bad assistant or phone number id, 401, 403, 404). Thrown by the Vapi
 * client; {@link toJobError} fails the job at once, except a 401 (a key being rotated), which is
 * retried with backoff and says to check `VAPI_API_KEY`.
 */
export class VapiRejectedError extends Error {
  override readonly name = 'VapiRejectedError';
  constructor(
    /** Vapi's HTTP status. */
    readonly statusCode: number,
    message = `Vapi refused the request (HTTP ${statusCode})`,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
