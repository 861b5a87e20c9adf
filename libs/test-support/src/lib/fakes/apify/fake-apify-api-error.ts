/**
 * An Apify API error answer: `status` with the body `{ error: { type, message } }`, Apify's
 * documented error envelope (docs.apify.com/api/v2, "Errors"), plus extra headers.
 */
export class FakeApifyApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'FakeApifyApiError';
  }

  /** The JSON body Apify sends. */
  body(): { error: { type: string; message: string } } {
    return { error: { type: this.type, message: this.message } };
  }
}

/**
 * The errors the fake answers with. Types and messages follow Apify's API reference (the
 * "Errors" table and the per-endpoint 4xx examples in apify/apify-docs' OpenAPI files); the 5xx
 * ones and `page-not-found` are not documented there and are the fake's best guess.
 */
export const apifyErrors = {
  tokenNotProvided: () => new FakeApifyApiError(401, 'token-not-provided', 'Authentication token was not provided'),
  tokenNotValid: () => new FakeApifyApiError(401, 'token-not-valid', 'Authentication token is not valid.'),
  actorNotFound: () => new FakeApifyApiError(404, 'actor-not-found', 'Actor was not found'),
  runNotFound: () => new FakeApifyApiError(404, 'record-not-found', 'Actor run was not found'),
  datasetNotFound: () => new FakeApifyApiError(404, 'record-not-found', 'Dataset was not found'),
  pageNotFound: () => new FakeApifyApiError(404, 'page-not-found', 'We have bad news: there is no API endpoint at this URL. Did you specify it correctly?'),
  methodNotAllowed: (allowed: readonly string[]) =>
    new FakeApifyApiError(405, 'method-not-allowed', `This API endpoint can only be accessed using the following HTTP methods: ${['OPTIONS', ...allowed].join(', ')}`),
  invalidRequest: (message: string) => new FakeApifyApiError(400, 'invalid-request', message),
  invalidParameter: (message: string) => new FakeApifyApiError(400, 'invalid-parameter', message),
  /**
   * 429 as documented (`You have exceeded the rate limit of N requests per second`). Apify's
   * documentation mentions an `X-RateLimit-Limit` header but no `Retry-After`; the fake adds
   * `Retry-After` (seconds) unless `retryAfterSeconds` is `null`, an assumption, not documented.
   */
  rateLimitExceeded: (limitPerSecond: number | undefined, retryAfterSeconds: number | null) => {
    const headers: Record<string, string> = {};
    if (retryAfterSeconds !== null) headers['Retry-After'] = String(retryAfterSeconds);
    if (limitPerSecond !== undefined) headers['X-RateLimit-Limit'] = String(limitPerSecond);
    const limit = limitPerSecond === undefined ? '' : ` of ${limitPerSecond} requests per second`;
    return new FakeApifyApiError(429, 'rate-limit-exceeded', `You have exceeded the rate limit${limit}`, headers);
  },
  /** An injected failure: a 5xx `internal-server-error` (Apify does not document 5xx bodies), or another 4xx `invalid-request`. */
  injected: (status: number) =>
    new FakeApifyApiError(status, status >= 500 ? 'internal-server-error' : 'invalid-request', status >= 500 ? 'Internal server error' : `Injected error ${status}`),
} as const;
