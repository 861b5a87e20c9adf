/**
 * A Graph API error answer: HTTP `status` with Graph's envelope
 * `{ error: { message, type, code, error_subcode?, is_transient?, fbtrace_id } }`
 * (developers.facebook.com/docs/graph-api/guides/error-handling), plus extra headers.
 */
export class FakeMetaGraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly type: string,
    message: string,
    readonly subcode?: number,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly isTransient = false,
  ) {
    super(message);
    this.name = 'FakeMetaGraphError';
  }

  /** The JSON body Graph sends; `fbtrace_id` is a fresh random id per answer, as Graph's. */
  body(): { error: Record<string, unknown> } {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        ...(this.subcode === undefined ? {} : { error_subcode: this.subcode }),
        ...(this.isTransient ? { is_transient: true } : {}),
        fbtrace_id: Math.random().toString(36).slice(2, 13).toUpperCase(),
      },
    };
  }
}

/**
 * The errors the fake answers with; codes and messages from Graph's error-handling guide and
 * the Marketing API's rate-limiting page. Graph answers most errors HTTP 400; the fake does too
 * (403 for a missing permission, as Graph does for code 200 on ads objects — an assumption).
 */
export const metaGraphErrors = {
  /** Code 104: no `access_token` at all. */
  tokenMissing: () => new FakeMetaGraphError(400, 104, 'OAuthException', 'An access token is required to request this resource.'),
  /** Code 190: a token Graph does not accept (expired, revoked, garbage), with Graph's `WWW-Authenticate`. */
  tokenInvalid: () =>
    new FakeMetaGraphError(400, 190, 'OAuthException', 'Invalid OAuth access token - Cannot parse access token', undefined, {
      'WWW-Authenticate': 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"',
    }),
  /** Code 100 / subcode 33: an object that does not exist (or the token cannot see). */
  unknownObject: (id: string) =>
    new FakeMetaGraphError(
      400,
      100,
      'GraphMethodException',
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      33,
    ),
  /** Code 200: the token's user has no ads permission on this ad account. */
  noPermission: (id: string) =>
    new FakeMetaGraphError(403, 200, 'OAuthException', `(#200) Ad account owner has NOT grant ads_management or ads_read permission (account ${id})`),
  /** Code 100: a bad parameter (unknown field, malformed JSON, bad range). */
  invalidParameter: (message: string) => new FakeMetaGraphError(400, 100, 'OAuthException', `(#100) ${message}`),
  /** Code 100 / subcode 1487534: a synchronous insights request asking for too much data (use an async report run). */
  tooMuchData: () =>
    new FakeMetaGraphError(400, 100, 'OAuthException', "Please reduce the amount of data you're asking for, then retry your request", 1487534),
  /**
   * Code 3018: an insights `time_range.since` older than 37 months before today (Graph's
   * message, e.g. in `WWW-Authenticate` answers quoted in fbRads issue #137).
   */
  historyLimit: () =>
    new FakeMetaGraphError(400, 3018, 'OAuthException', '(#3018) The start date of the time range cannot be beyond 37 months from the current date', undefined, {
      'WWW-Authenticate': 'OAuth "Facebook Platform" "invalid_request" "(#3018) The start date of the time range cannot be beyond 37 months from the current date"',
    }),
  /**
   * A synchronous insights call that took too long (Ads Insights API error codes page: 100 /
   * 1504018 and 2 / 1504038, "Request Timed Out … use async jobs").
   */
  requestTimedOut: (code: 100 | 2) =>
    new FakeMetaGraphError(400, code, 'OAuthException', 'Your request timed out. Try a smaller date range, fetch less data, or use async jobs.', code === 100 ? 1504018 : 1504038, {}, code === 2),
  /** Code 1 with the Insights API's "reduce the amount of data" message (no subcode). */
  reduceData: () => new FakeMetaGraphError(500, 1, 'OAuthException', "Please reduce the amount of data you're asking for, then retry your request"),
  /** Code 80000 / subcode 2446079: the ad account's `ads_insights` Business Use Case rate limit. */
  insightsRateLimited: () =>
    new FakeMetaGraphError(
      400,
      80000,
      'OAuthException',
      'There have been too many calls from this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
      2446079,
      {},
      true,
    ),
  /** Code 80004: the ad account's `ads_management` Business Use Case rate limit. */
  managementRateLimited: () =>
    new FakeMetaGraphError(
      400,
      80004,
      'OAuthException',
      'There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.',
      2446079,
      {},
      true,
    ),
  /** Code 2500 (Graph's unknown path answer). */
  unknownPath: (path: string) => new FakeMetaGraphError(400, 2500, 'OAuthException', `Unknown path components: ${path}`),
};
