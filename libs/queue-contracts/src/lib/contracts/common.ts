import { z } from 'zod';
import { boundedJsonObject } from './bounded-json-object';
import { CONTRACT_LIMITS } from './contract-limits';

/**
 * A non-empty identifier (user, account, assistant ...), trimmed, at most
 * `CONTRACT_LIMITS.MAX_ID_CHARS` (256) characters.
 */
export const idSchema = z.string().trim().min(1, 'must not be empty').max(CONTRACT_LIMITS.MAX_ID_CHARS);

/**
 * An absolute `http:` or `https:` URL of at most `CONTRACT_LIMITS.MAX_URL_CHARS` (2048)
 * characters, kept as the string given (no normalisation here, so the value survives a JSON round
 * trip unchanged).
 */
export const httpUrlSchema = z
  .string()
  .trim()
  .max(CONTRACT_LIMITS.MAX_URL_CHARS)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

const DATE_MESSAGE = 'must be a date (ISO-8601 string, Date or epoch ms)';

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** True when `y-m-d` is a day of the calendar (`2024-02-31` is not). */
function isCalendarDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A point in time. Job data is JSON in Redis, so a `Date` comes back as an ISO string: this
 * schema accepts a `Date`, an ISO-8601 date or date-time string (`2024-01-31`,
 * `2024-01-31T10:00:00Z`, with an offset or not) or epoch milliseconds, and always yields a
 * `Date`. Days that do not exist (`2024-02-31`) are refused rather than rolled over.
 */
export const dateSchema = z
  .union([z.date(), z.number(), z.string()], { error: DATE_MESSAGE })
  .transform((value, ctx) => {
    let date: Date;
    if (typeof value === 'string') {
      const m = ISO_DATE_TIME.exec(value.trim());
      date = m && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3])) ? new Date(value.trim()) : new Date(Number.NaN);
    } else {
      date = new Date(value);
    }
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: DATE_MESSAGE });
      return z.NEVER;
    }
    return date;
  });

/**
 * Free-form JSON metadata: a JSON object of at most `CONTRACT_LIMITS.MAX_METADATA_BYTES` (16 KiB)
 * as JSON, nested at most `CONTRACT_LIMITS.MAX_JSON_DEPTH` (32) levels.
 */
export const metadataSchema = boundedJsonObject(CONTRACT_LIMITS.MAX_METADATA_BYTES);
