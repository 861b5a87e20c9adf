const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A non-negative amount in currency units as whole micros (1 unit = 1 000 000), decided on
 * its decimal digits, never by multiplying a float: `"12.34"` → 12 340 000. A number is first
 * written as its shortest round-trip decimal (`String(n)`, which is how the API's double, e.g.
 * Google `metrics.conversions_value`, was written in JSON), exponent form included
 * (`1e-7`). Digits beyond the sixth decimal round half up (`0.0000005` → 1).
 * @param field - named in the error.
 * @throws RangeError naming `field` for a negative, non-finite or non-decimal value, or one
 *   beyond `Number.MAX_SAFE_INTEGER` micros.
 */
export function decimalToMicros(value: number | string, field: string): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new RangeError(`${field} = ${JSON.stringify(value)} is not a non-negative decimal amount`);
  let digits = `${m[1]}${m[2] ?? ''}`;
  // Position of the decimal point within `digits`, moved by the exponent.
  let point = (m[1] ?? '').length + Number(m[3] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point) || '0';
  const fraction = digits.slice(point).padEnd(7, '0');
  let micros = BigInt(whole) * 1_000_000n + BigInt(fraction.slice(0, 6));
  if (fraction[6]! >= '5') micros += 1n;
  if (micros > MAX) throw new RangeError(`${field} = ${JSON.stringify(value)} is beyond what this worker holds exactly in micros`);
  return Number(micros);
}
