import { metaBudgetToMicros, metaDecimalToMicros, metaNumber } from './meta-money';

describe('Meta money', () => {
  it.each([
    ['12.34', 12_340_000],
    ['0.05', 50_000],
    ['7', 7_000_000],
    ['0.1', 100_000],
    ['1234567.89', 1_234_567_890_000],
    ['0.29', 290_000],
    [undefined, 0],
  ])('reads the decimal %s as %d micros exactly', (text, micros) => {
    expect(metaDecimalToMicros(text, 'spend')).toBe(micros);
  });

  it('refuses what is not a decimal amount, naming the field', () => {
    expect(() => metaDecimalToMicros('-1', 'spend')).toThrow(/spend/);
    expect(() => metaDecimalToMicros('1e3', 'spend')).toThrow(/spend/);
    expect(() => metaDecimalToMicros('99999999999.99', 'spend')).toThrow(/too large/);
  });

  it('turns budgets in minor units into micros by the currency offset (USD/EUR cents, JPY/KRW whole units)', () => {
    expect(metaBudgetToMicros('5000', 'USD', 'daily_budget')).toBe(50_000_000);
    expect(metaBudgetToMicros('5000', 'EUR', 'daily_budget')).toBe(50_000_000);
    expect(metaBudgetToMicros('5000', 'JPY', 'daily_budget')).toBe(5_000_000_000);
    expect(metaBudgetToMicros('5000', 'KRW', 'daily_budget')).toBe(5_000_000_000);
    expect(metaBudgetToMicros(undefined, 'USD', 'daily_budget')).toBeNull();
    expect(metaBudgetToMicros('0', 'USD', 'daily_budget')).toBeNull();
    expect(() => metaBudgetToMicros('50.5', 'USD', 'daily_budget')).toThrow(/daily_budget/);
  });

  it('reads counts sent as strings', () => {
    expect(metaNumber('1234', 'impressions')).toBe(1234);
    expect(metaNumber('2.5', 'actions')).toBe(2.5);
    expect(() => metaNumber('x', 'clicks')).toThrow(/clicks/);
  });
});
