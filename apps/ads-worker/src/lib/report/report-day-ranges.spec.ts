import { dayCount, daysInRange, rangeText, rangeWithDays } from './report-day-ranges';

describe('report day ranges', () => {
  it('counts days in the singular for exactly one', () => {
    expect([0, 1, 2, 31].map(dayCount)).toEqual(['0 days', '1 day', '2 days', '31 days']);
  });

  it('counts both ends, across a leap day and a month end', () => {
    expect(daysInRange({ start: '2024-02-29', end: '2024-02-29' })).toBe(1);
    expect(daysInRange({ start: '2024-02-28', end: '2024-03-01' })).toBe(3);
    expect(daysInRange({ start: '2023-01-01', end: '2024-12-31' })).toBe(731);
  });

  it('writes one day alone and a longer range with an en dash, with its length', () => {
    expect(rangeText({ start: '2024-02-29', end: '2024-02-29' })).toBe('2024-02-29');
    expect(rangeWithDays({ start: '2024-02-29', end: '2024-02-29' })).toBe('2024-02-29 (1 day)');
    expect(rangeWithDays({ start: '2024-01-01', end: '2024-01-31' })).toBe('2024-01-01 – 2024-01-31 (31 days)');
  });
});
