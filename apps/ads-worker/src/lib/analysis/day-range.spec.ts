import { addDays, daysOfRange, previousPeriod } from './day-range';

describe('day ranges', () => {
  it('lists every calendar day, across month and leap-year ends', () => {
    expect(daysOfRange({ start: '2024-02-28', end: '2024-03-01' })).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysOfRange({ start: '2024-01-01', end: '2024-01-01' })).toEqual(['2024-01-01']);
    expect(addDays('2024-03-31', -31)).toBe('2024-02-29');
  });

  it('takes the previous period of equal length ending the day before', () => {
    expect(previousPeriod({ start: '2024-01-01', end: '2024-01-31' })).toEqual({ start: '2023-12-01', end: '2023-12-31' });
    expect(previousPeriod({ start: '2024-03-01', end: '2024-03-31' })).toEqual({ start: '2024-01-30', end: '2024-02-29' });
    expect(previousPeriod({ start: '2024-01-10', end: '2024-01-10' })).toEqual({ start: '2024-01-09', end: '2024-01-09' });
  });

  it('refuses malformed days and reversed ranges', () => {
    expect(() => daysOfRange({ start: '2024-01-02', end: '2024-01-01' })).toThrow(RangeError);
    expect(() => daysOfRange({ start: '2024-02-30', end: '2024-03-01' })).toThrow(RangeError);
    expect(() => addDays('2024-1-1', 1)).toThrow(RangeError);
  });
});
