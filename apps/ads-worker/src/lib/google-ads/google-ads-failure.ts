import { z } from 'zod';

/**
 * What a Google Ads API error says, read from its REST body: a `google.rpc.Status` as
 * `{ error }` or, from `searchStream`, `[{ error }]` (also met as the last element of a stream
 * that failed midway), whose `details` may hold a `GoogleAdsFailure`
 * (https://developers.google.com/google-ads/api/docs/concepts/error-handling).
 * - `httpStatus`: the HTTP status (200 for an error inside a stream);
 * - `status`: the canonical code name, e.g. `RESOURCE_EXHAUSTED`, or null when absent;
 * - `errorCodes`: each GoogleAdsError's code as `<enum>.<value>`, e.g.
 *   `quotaError.RESOURCE_TEMPORARILY_EXHAUSTED`, `authorizationError.USER_PERMISSION_DENIED`;
 * - `retryDelayMs`: the longest `quotaErrorDetails.retryDelay` (a protobuf Duration such as
 *   `"30s"` or `"1.5s"`) in ms, or null;
 * - `rateScope`: which quota bucket refused, from `quotaErrorDetails.rateScope`
 *   (https://developers.google.com/google-ads/api/reference/rpc/v26/QuotaErrorDetails.QuotaRateScope):
 *   `ACCOUNT` (per customer account) only when every quota detail says so; else the first other
 *   value given (`DEVELOPER`: per Google Cloud project, formerly per developer token;
 *   `UNSPECIFIED`, `UNKNOWN`); null when no detail names one;
 * - `message`: the GoogleAdsErrors' messages, else the Status message (never headers or tokens).
 */
export interface GoogleAdsFailure {
  readonly httpStatus: number;
  readonly status: string | null;
  readonly errorCodes: readonly string[];
  readonly retryDelayMs: number | null;
  readonly rateScope: string | null;
  readonly message: string;
  readonly requestId: string | null;
}

const adsErrorSchema = z.looseObject({
  errorCode: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
  details: z.looseObject({ quotaErrorDetails: z.looseObject({ retryDelay: z.string().optional(), rateScope: z.string().optional() }).optional() }).optional(),
});
const statusSchema = z.looseObject({
  code: z.number().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.array(z.looseObject({ errors: z.array(adsErrorSchema).optional(), requestId: z.string().optional() })).optional(),
});
/** The `error` member of an answer element, for detecting it inside a stream. */
export const googleAdsStatusSchema = statusSchema;

/** The Status of an error answer (`{ error }` or `[{ error }]`), or null when the body holds none. */
export function findGoogleAdsStatus(body: unknown): z.infer<typeof statusSchema> | null {
  const candidates = Array.isArray(body) ? body : [body];
  for (const item of candidates) {
    const parsed = z.looseObject({ error: statusSchema }).safeParse(item);
    if (parsed.success) return parsed.data.error;
  }
  return null;
}

/** Reads a Google Ads error answer; a body without a Status gives a failure naming only the HTTP status. */
export function parseGoogleAdsFailure(httpStatus: number, body: unknown): GoogleAdsFailure {
  const status = findGoogleAdsStatus(body);
  const errors = (status?.details ?? []).flatMap((d) => d.errors ?? []);
  const errorCodes = errors.flatMap((e) => Object.entries(e.errorCode ?? {}).map(([kind, value]) => `${kind}.${String(value)}`));
  const delays = errors.map((e) => durationMs(e.details?.quotaErrorDetails?.retryDelay)).filter((d): d is number => d !== null);
  const scopes = errors.map((e) => e.details?.quotaErrorDetails?.rateScope).filter((s): s is string => !!s);
  const messages = errors.map((e) => e.message).filter((m): m is string => !!m);
  return {
    httpStatus,
    status: status?.status ?? null,
    errorCodes,
    retryDelayMs: delays.length > 0 ? Math.max(...delays) : null,
    rateScope: scopes.length === 0 ? null : (scopes.find((s) => s !== 'ACCOUNT') ?? 'ACCOUNT'),
    message: (messages.length > 0 ? messages.join('; ') : status?.message) ?? `HTTP ${httpStatus}`,
    requestId: status?.details?.find((d) => d.requestId)?.requestId ?? null,
  };
}

/** A protobuf Duration in JSON (`"30s"`, `"0.5s"`) in ms, or null. */
function durationMs(value: string | undefined): number | null {
  const m = value === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m ? Math.ceil(Number(m[1]) * 1000) : null;
}
