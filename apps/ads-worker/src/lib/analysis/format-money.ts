const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Micros of `currency` as display text with the currency's usual decimals, e.g.
 * `formatMicros(12_345_678, 'EUR')` → `'€12.35'`; for the words of a recommendation only (the
 * numbers behind it stay exact in its evidence).
 * @throws RangeError when `currency` is not a well-formed ISO 4217 code.
 */
export function formatMicros(micros: number, currency: string): string {
  let format = formatters.get(currency);
  if (!format) formatters.set(currency, (format = new Intl.NumberFormat('en-US', { style: 'currency', currency })));
  return format.format(micros / 1_000_000);
}
