/** What a failed Graph call means for the job. */
export type MetaFailureKind = 'rate-limit-account' | 'rate-limit-app' | 'token' | 'permission' | 'too-much-data' | 'history-limit' | 'other';

/** A failed Graph call, read from the SDK's `FacebookRequestError` (never its URL: it holds the token). */
export interface MetaGraphFailure {
  readonly kind: MetaFailureKind;
  /** HTTP status, or null when no answer came (network). */
  readonly status: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  /** Graph's message (no token in it). */
  readonly message: string;
  /** The answer's headers (usage headers ride on errors too). */
  readonly headers: unknown;
}

/**
 * Reads an error thrown by `facebook-nodejs-business-sdk` (its `FacebookRequestError` is not
 * exported, so the shape is read: `status`, `response` = Graph's `error` object, `headers`).
 * Codes, from Meta's Graph error-handling guide and the Marketing API rate-limiting page:
 * - 4 (app request limit) → `rate-limit-app`; 17 (user request limit, e.g. subcode 2446079),
 *   32 (page), 613 (ad account calls, subcode 1487742), 80000–80014 (Business Use Case limits,
 *   e.g. 80000 `ads_insights`, 80004 `ads_management`) → `rate-limit-account`;
 * - 190 (invalid / expired token), 102 (session), 104 (no token) → `token`;
 * - 10 and 200–299 (permission), 100 with subcode 33 (object missing or not visible) → `permission`;
 * - too heavy for a synchronous insights call → `too-much-data`: 100 / 1487534 (data-per-call
 *   limit, Insights API "Limits & Best Practices"), 100 / 1504018 and 2 / 1504038 ("Request Timed
 *   Out … use async jobs", Ads Insights API error codes page), and code 1 when its message asks
 *   to "reduce the amount of data" (code 1 alone is Graph's generic unknown error, left `other`);
 * - 3018 ("The start date of the time range cannot be beyond 37 months from the current date":
 *   insights reach back 37 months only) → `history-limit`.
 * Returns null for anything that is not a Graph answer's error (a bug, an abort).
 */
export function readMetaGraphFailure(err: unknown): MetaGraphFailure | null {
  if (!err || typeof err !== 'object' || (err as { name?: unknown }).name !== 'FacebookRequestError') return null;
  const e = err as { status?: unknown; response?: unknown; headers?: unknown; message?: unknown };
  const body = e.response && typeof e.response === 'object' ? (e.response as Record<string, unknown>) : {};
  const code = typeof body['code'] === 'number' ? body['code'] : null;
  const subcode = typeof body['error_subcode'] === 'number' ? body['error_subcode'] : null;
  const message = typeof body['message'] === 'string' ? body['message'] : typeof e.message === 'string' ? e.message : 'no answer';
  return { kind: kindOf(code, subcode, message), status: typeof e.status === 'number' ? e.status : null, code, subcode, message, headers: e.headers };
}

function kindOf(code: number | null, subcode: number | null, message: string): MetaFailureKind {
  if (code === null) return 'other';
  if (code === 4) return 'rate-limit-app';
  if (code === 17 || code === 32 || code === 613 || (code >= 80000 && code <= 80014)) return 'rate-limit-account';
  if (code === 190 || code === 102 || code === 104) return 'token';
  if (code === 10 || (code >= 200 && code <= 299) || (code === 100 && subcode === 33)) return 'permission';
  if ((code === 100 && (subcode === 1487534 || subcode === 1504018)) || (code === 2 && subcode === 1504038)) return 'too-much-data';
  if (code === 1 && /reduce the amount of data/i.test(message)) return 'too-much-data';
  if (code === 3018) return 'history-limit';
  return 'other';
}
