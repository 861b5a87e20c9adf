import { redactSecrets } from '@jobs/worker-kit';

/**
 * Keys whose values are replaced whole: the worker kit's secret key names (its logger's redact
 * paths and `redactError`'s key list: password, token, accessToken, apiKey, secret,
 * authorization, cookie, credentials …) and, as job data names fields freely, any key ending in
 * one of them (`webhookSecret`, `smtpPassword`, `refresh_token`, `openaiApiKey`).
 */
export const SECRET_KEY = /(?:password|passwd|secret|token|api_?key|authorization|cookie|credentials?)$/i;

/** How deep nested data is followed before it is cut off (job data is depth-bounded well below). */
const MAX_DEPTH = 32;

/**
 * A copy of `value` fit to show an operator (who pastes it into tickets): values under keys
 * named like secrets ({@link SECRET_KEY}) become `***`, and every string passes through the
 * kit's `redactSecrets` (registered secret values of the environment, passwords in URLs,
 * bearer/basic tokens, `token=`-style parameters). Plain JSON in, plain JSON out.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined && item !== '' ? '***' : maskSecrets(item, depth + 1);
  }
  return out;
}
