/**
 * An int64 of the Google Ads API's JSON (sent as a decimal string, e.g. `metrics.cost_micros`
 * `"12340000"`; proto3 JSON mapping, https://protobuf.dev/programming-guides/json/) as a JS
 * number, exactly: digits only (an optional leading `-`), and within
 * `Number.MAX_SAFE_INTEGER` so no micro is lost. A JSON number is accepted when it is already a
 * safe integer. `undefined` (proto3 leaves out unset fields) gives `fallback`.
 * @param field - named in the error, e.g. `metrics.cost_micros`.
 * @throws RangeError naming `field` for anything else (not an integer, or beyond 2^53 − 1).
 */
export function int64ToSafeInteger(value: unknown, field: string, fallback = 0): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new RangeError(`Google Ads sent ${field} = ${JSON.stringify(value)}: not an integer this worker can hold exactly`);
}
