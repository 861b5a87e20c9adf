import { z } from 'zod';

/** A non-empty identifier (user, account, assistant ...), trimmed, at most 256 characters. */
export const idSchema = z.string().trim().min(1, 'must not be empty').max(256);

/**
 * An absolute `http:` or `https:` URL, kept as the string given (no normalisation here, so the
 * value survives a JSON round trip unchanged).
 */
export const httpUrlSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

/**
 * A point in time. Job data is JSON in Redis, so a `Date` comes back as an ISO string: this
 * schema accepts a `Date`, an ISO-8601 string or epoch milliseconds and always yields a `Date`.
 */
export const dateSchema = z.coerce.date({ error: 'must be a date (ISO-8601 string, Date or epoch ms)' });

/** Free-form JSON metadata: string keys, JSON values. */
export const metadataSchema = z.record(z.string(), z.json());
