import { apifyErrors } from './fake-apify-api-error';

/**
 * A boolean query parameter as Apify reads them: `1`/`true` is true, `0`/`false`/empty is
 * false, absent is `fallback` (the client sends booleans as `1`/`0`).
 * @throws FakeApifyApiError 400 `invalid-parameter` on anything else.
 */
export function queryBoolean(query: URLSearchParams, name: string, fallback = false): boolean {
  const value = query.get(name);
  if (value === null) return fallback;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false' || value === '') return false;
  throw apifyErrors.invalidParameter(`Parameter "${name}" must be a boolean (0, 1, true or false), got "${value}"`);
}

/**
 * A numeric query parameter, `undefined` when absent or empty.
 * @throws FakeApifyApiError 400 `invalid-parameter` when not a number, below `min`, or (with
 * `integer`) fractional.
 */
export function queryNumber(query: URLSearchParams, name: string, { min = 0, integer = false }: { min?: number; integer?: boolean } = {}): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw apifyErrors.invalidParameter(`Parameter "${name}" must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`);
  }
  return value;
}

/** A comma-separated list parameter (`fields=a,b`), `undefined` when absent or empty. */
export function queryList(query: URLSearchParams, name: string): string[] | undefined {
  const raw = query.get(name);
  if (!raw) return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}
