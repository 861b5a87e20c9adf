import { decimalToMicros } from './decimal-to-micros';
import { int64ToSafeInteger } from './int64-to-safe-integer';

describe('decimalToMicros', () => {
  it.each([
    ['12.34', 12_340_000],
    [1234.56, 1_234_560_000],
    [0.1 + 0.2, 300_000], // 0.30000000000000004: the 7th decimal is 0
    ['0', 0],
    [19.99, 19_990_000],
    ['0.0000005', 1],
    ['0.00000049', 0],
    [1e-7, 0],
    [5e-7, 1],
    [1.5e3, 1_500_000_000],
    ['7.', 7_000_000],
    ['.5', 500_000],
    [123456789.123456, 123_456_789_123_456],
  ])('%p → %p micros', (value, micros) => {
    expect(decimalToMicros(value, 'x')).toBe(micros);
  });

  it.each([['-1'], [Number.NaN], [Infinity], ['1,5'], [''], ['.'], ['9007199254.740993']])('refuses %p naming the field', (value) => {
    expect(() => decimalToMicros(value, 'metrics.conversions_value')).toThrow(/metrics\.conversions_value/);
  });
});

describe('int64ToSafeInteger', () => {
  it('reads int64 strings and safe numbers exactly, undefined as the fallback', () => {
    expect(int64ToSafeInteger('9007199254740991', 'f')).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64ToSafeInteger('12340000', 'f')).toBe(12_340_000);
    expect(int64ToSafeInteger(7, 'f')).toBe(7);
    expect(int64ToSafeInteger(undefined, 'f')).toBe(0);
  });

  it.each([['9007199254740993'], ['1.5'], [1.5], ['abc'], [null], ['12345678901234567890']])('refuses %p naming the field', (value) => {
    expect(() => int64ToSafeInteger(value, 'metrics.cost_micros')).toThrow(/metrics\.cost_micros/);
  });
});
