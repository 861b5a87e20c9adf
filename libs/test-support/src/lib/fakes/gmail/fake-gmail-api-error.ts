/**
 * One error answer of the fake Gmail server, serialised in Google's JSON error shape
 * (`{ error: { code, message, errors: [{ message, domain, reason }], status } }`, see
 * https://cloud.google.com/apis/design/errors#http_mapping and Gmail's "Resolve errors" guide).
 * Route code throws it; the server turns it into the HTTP answer.
 */
export class GmailApiError extends Error {
  override readonly name = 'GmailApiError';

  constructor(
    /** HTTP status code, also `error.code` in the body. */
    readonly code: number,
    /** Canonical status, e.g. `NOT_FOUND`, `error.status` in the body. */
    readonly status: string,
    /** `error.errors[0].reason`, e.g. `notFound`. */
    readonly reason: string,
    message: string,
    /** `error.errors[0].domain`: `global`, or `usageLimits` for rate limits as Gmail does. */
    readonly domain = 'global',
    /** Extra response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The response body, as Google sends it. */
  toJSON(): { error: { code: number; message: string; errors: Array<{ message: string; domain: string; reason: string }>; status: string } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
        status: this.status,
      },
    };
  }
}

/** 404 `NOT_FOUND` / `notFound`: unknown message, thread, draft, path, or expired history id. */
export function notFound(): GmailApiError {
  return new GmailApiError(404, 'NOT_FOUND', 'notFound', 'Requested entity was not found.');
}

/** 400 `INVALID_ARGUMENT` / `invalidArgument` with `message`, e.g. `Invalid format: "x"`. */
export function invalidArgument(message: string): GmailApiError {
  return new GmailApiError(400, 'INVALID_ARGUMENT', 'invalidArgument', message);
}

/**
 * 401 `UNAUTHENTICATED` / `authError` with the `WWW-Authenticate` header Google sends for a
 * missing, unknown or revoked bearer token.
 */
export function unauthenticated(): GmailApiError {
  return new GmailApiError(
    401,
    'UNAUTHENTICATED',
    'authError',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    'global',
    { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  );
}

/** 403 `PERMISSION_DENIED` / `forbidden`: a token used for another mailbox (`Delegation denied for x`). */
export function delegationDenied(email: string): GmailApiError {
  return new GmailApiError(403, 'PERMISSION_DENIED', 'forbidden', `Delegation denied for ${email}`);
}

/**
 * A throttling answer: 429 `RESOURCE_EXHAUSTED` / `rateLimitExceeded`, or 403 `PERMISSION_DENIED`
 * / `userRateLimitExceeded` (the two forms Gmail's "Resolve errors" guide lists), both in the
 * `usageLimits` domain, with `Retry-After: retryAfterSeconds` when given.
 */
export function rateLimited(status: 429 | 403, retryAfterSeconds?: number): GmailApiError {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
  return status === 429
    ? new GmailApiError(429, 'RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'Too many concurrent requests for user', 'usageLimits', headers)
    : new GmailApiError(403, 'PERMISSION_DENIED', 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits', headers);
}

const STATUS_BY_CODE: Readonly<Record<number, readonly [status: string, reason: string, message: string]>> = {
  400: ['INVALID_ARGUMENT', 'badRequest', 'Bad Request'],
  401: ['UNAUTHENTICATED', 'authError', 'Invalid Credentials'],
  403: ['PERMISSION_DENIED', 'forbidden', 'Forbidden'],
  404: ['NOT_FOUND', 'notFound', 'Requested entity was not found.'],
  409: ['ABORTED', 'conflict', 'Conflict'],
  429: ['RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'Resource has been exhausted (e.g. check quota).'],
  500: ['INTERNAL', 'backendError', 'Internal error encountered.'],
  502: ['UNAVAILABLE', 'backendError', 'Bad Gateway'],
  503: ['UNAVAILABLE', 'backendError', 'The service is currently unavailable.'],
  504: ['DEADLINE_EXCEEDED', 'backendError', 'The request timed out.'],
};

/**
 * An injected failure with HTTP status `code`: 500 → `INTERNAL` / `backendError`, 503 →
 * `UNAVAILABLE` / `backendError`, other common codes mapped likewise, anything else `UNKNOWN`.
 */
export function injectedFailure(code: number): GmailApiError {
  const [status, reason, message] = STATUS_BY_CODE[code] ?? ['UNKNOWN', 'backendError', 'Unknown error.'];
  return new GmailApiError(code, status, reason, message);
}
