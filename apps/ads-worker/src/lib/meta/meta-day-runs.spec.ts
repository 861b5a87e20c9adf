import { PermanentJobError } from '@jobs/worker-kit';
import { consecutiveDayRuns } from './meta-day-runs';

describe('consecutiveDayRuns', () => {
  it('groups consecutive days into runs, oldest first, ignoring order and repeats', () => {
    expect(consecutiveDayRuns(['2024-01-13', '2024-01-10', '2024-01-12', '2024-01-12'])).toEqual([
      { start: '2024-01-10', end: '2024-01-10' },
      { start: '2024-01-12', end: '2024-01-13' },
    ]);
  });

  it('runs across month and leap-day boundaries', () => {
    expect(consecutiveDayRuns(['2024-03-01', '2024-02-28', '2024-02-29', '2023-12-31', '2024-01-01'])).toEqual([
      { start: '2023-12-31', end: '2024-01-01' },
      { start: '2024-02-28', end: '2024-03-01' },
    ]);
  });

  it('gives nothing for no days', () => {
    expect(consecutiveDayRuns([])).toEqual([]);
  });

  it('refuses a day that is not a calendar day', () => {
    expect(() => consecutiveDayRuns(['2024-02-30'])).toThrow(PermanentJobError);
    expect(() => consecutiveDayRuns(['2024-1-01'])).toThrow(PermanentJobError);
  });
});
