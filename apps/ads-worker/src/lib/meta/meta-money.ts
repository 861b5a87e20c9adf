/**
 * Currencies whose Meta "offset" is 1 (amounts such as `daily_budget` are in whole units);
 * every other currency has offset 100 (amounts in cents). Source: Meta Marketing API,
 * "Currency codes" (https://developers.facebook.com/docs/marketing-api/currencies), column
 * "Offset".
 */
export const META_OFFSET_ONE_CURRENCIES: ReadonlySet<string> = new Set(['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']);

/**
 * Micros in one of Meta's budget units for `currency` (ISO 4217): 1 000 000 for the offset-1
 * currencies in {@link META_OFFSET_ONE_CURRENCIES}, else 10 000 (a cent of an offset-100 currency).
 */
export function metaBudgetUnitMicros(currency: string): number {
  return META_OFFSET_ONE_CURRENCIES.has(currency.toUpperCase()) ? 1_000_000 : 10_000;
}

/**
 * A Meta budget field (`daily_budget`, `lifetime_budget`: a string of whole units of the
 * currency's offset, e.g. `"5000"` = 50.00 USD) as micros; `null` for absent, empty or `"0"` (Meta
 * sends `"0"` when the budget is set elsewhere, e.g. on the ad sets).
 * @throws Error when the value is not whole digits or the micros would not be a safe integer.
 */
export function metaBudgetToMicros(value: unknown, currency: string, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) throw new Error(`Meta sent ${field} ${JSON.stringify(value)}, not a whole number of minor units`);
  const micros = Number(text) * metaBudgetUnitMicros(currency);
  if (!Number.isSafeInteger(micros)) throw new Error(`Meta sent ${field} ${text}: too large to count in micros`);
  return micros === 0 ? null : micros;
}

/**
 * A Meta decimal string (`spend: "12.34"`, an `action_values` value `"99.9"`) as whole micros,
 * exactly: digits before and after the point are read as integers, never through a float.
 * Absent or empty → 0. More than 6 decimals are refused (Meta sends at most 2 for money).
 * @throws Error naming `field` when the text is not a non-negative decimal or exceeds a safe integer.
 */
export function metaDecimalToMicros(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'number' ? String(value) : value;
  const match = typeof text === 'string' ? /^(\d+)(?:\.(\d{1,6}))?$/.exec(text) : null;
  if (!match) throw new Error(`Meta sent ${field} ${JSON.stringify(value)}, not a decimal amount`);
  const micros = Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
  if (!Number.isSafeInteger(micros)) throw new Error(`Meta sent ${field} ${text}: too large to count in micros`);
  return micros;
}

/**
 * A Meta count sent as a decimal string (`impressions: "1234"`, an `actions` value `"3"`, which
 * may be fractional for some attribution settings) as a number; absent or empty → 0.
 * @throws Error naming `field` when the text is not a non-negative decimal number.
 */
export function metaNumber(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+(?:\.\d+)?$/.test(text)) throw new Error(`Meta sent ${field} ${JSON.stringify(value)}, not a number`);
  return Number(text);
}
