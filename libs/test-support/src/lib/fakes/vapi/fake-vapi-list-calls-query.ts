import { vapiBadRequest } from './fake-vapi-http-error';

/** `GET /call`'s filters, parsed. Dates are ms since the epoch; bounds are compared with millisecond precision. */
export interface FakeVapiListCallsQuery {
  readonly id?: string;
  readonly assistantId?: string;
  readonly phoneNumberId?: string;
  /** How many calls at most; Vapi's default 100. */
  readonly limit: number;
  readonly createdAtGt?: number;
  readonly createdAtLt?: number;
  readonly createdAtGe?: number;
  readonly createdAtLe?: number;
  readonly updatedAtGt?: number;
  readonly updatedAtLt?: number;
  readonly updatedAtGe?: number;
  readonly updatedAtLe?: number;
}

/** Vapi's default page size (`ListCallsRequest.limit`: "Defaults to 100"). */
export const FAKE_VAPI_DEFAULT_LIST_LIMIT = 100;
/** The largest `limit` the fake accepts. Vapi does not document one. */
export const FAKE_VAPI_MAX_LIST_LIMIT = 1000;

const STRINGS = ['id', 'assistantId', 'phoneNumberId'] as const;
const DATES = ['createdAtGt', 'createdAtLt', 'createdAtGe', 'createdAtLe', 'updatedAtGt', 'updatedAtLt', 'updatedAtGe', 'updatedAtLe'] as const;
const KNOWN = new Set<string>([...STRINGS, ...DATES, 'limit']);
/** A date-time the way Vapi's `IsISO8601`-style checks take it: `YYYY-MM-DD`, optionally `THH:MM[:SS[.sss]]` and a zone. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses the query parameters of `GET /call` (`ListCallsRequest` of `@vapi-ai/server-sdk` 2.0.1).
 * @throws FakeVapiHttpError 400 for an unknown parameter, a `limit` that is not an integer in 0..1000, or a date that is not ISO 8601.
 */
export function parseFakeVapiListCallsQuery(query: Readonly<Record<string, string>>): FakeVapiListCallsQuery {
  const messages: string[] = [];
  for (const key of Object.keys(query)) if (!KNOWN.has(key)) messages.push(`property ${key} should not exist`);
  const parsed: Record<string, string | number> = { limit: FAKE_VAPI_DEFAULT_LIST_LIMIT };
  for (const key of STRINGS) if (query[key] !== undefined) parsed[key] = query[key];
  if (query['limit'] !== undefined) {
    const limit = Number(query['limit']);
    if (query['limit'].trim() === '' || !Number.isInteger(limit)) messages.push('limit must be a number conforming to the specified constraints');
    else if (limit < 0) messages.push('limit must not be less than 0');
    else if (limit > FAKE_VAPI_MAX_LIST_LIMIT) messages.push(`limit must not be greater than ${FAKE_VAPI_MAX_LIST_LIMIT}`);
    else parsed['limit'] = limit;
  }
  for (const key of DATES) {
    const value = query[key];
    if (value === undefined) continue;
    const ms = Date.parse(value);
    if (!ISO_8601.test(value) || Number.isNaN(ms)) messages.push(`${key} must be a valid ISO 8601 date string`);
    else parsed[key] = ms;
  }
  if (messages.length > 0) throw vapiBadRequest(messages);
  return parsed as unknown as FakeVapiListCallsQuery;
}
