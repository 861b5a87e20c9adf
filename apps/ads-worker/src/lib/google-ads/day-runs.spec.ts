import { dayRuns } from './day-runs';

describe('dayRuns', () => {
  it('groups the days into runs of consecutive days, in order, covering exactly the days given', () => {
    expect(dayRuns(['2024-01-05', '2024-01-03', '2024-01-04', '2024-01-09', '2024-01-04'])).toEqual([
      { start: '2024-01-03', end: '2024-01-05' },
      { start: '2024-01-09', end: '2024-01-09' },
    ]);
    // Across a month, a year and a leap day.
    expect(dayRuns(['2024-02-28', '2024-02-29', '2024-03-01', '2023-12-31', '2024-01-01'])).toEqual([
      { start: '2023-12-31', end: '2024-01-01' },
      { start: '2024-02-28', end: '2024-03-01' },
    ]);
    expect(dayRuns([])).toEqual([]);
  });

  it('refuses what is not a calendar day', () => {
    expect(() => dayRuns(['2024-02-30'])).toThrow(RangeError);
    expect(() => dayRuns(["2024-01-01' OR '1'='1"])).toThrow(RangeError);
  });
});
