import { PermanentJobError } from '@jobs/worker-kit';
import { DateTime } from 'luxon';
import { analysedRanges } from './analysed-ranges';
import { metaOldestDay } from './meta-insights-history';

const meta = { platform: 'meta' as const, timeZone: 'America/Los_Angeles' };
const google = { platform: 'google' as const, timeZone: 'Europe/Berlin' };
// 2027-02-10 in Los Angeles: Meta's oldest day is 2024-01-11 (37 months back, plus a day).
const NOW = new Date('2027-02-10T20:00:00Z');

describe('metaOldestDay', () => {
  it('is 37 months before today, plus one day of margin', () => {
    expect(metaOldestDay(DateTime.fromISO('2027-02-10', { zone: 'UTC' }))).toBe('2024-01-11');
    expect(metaOldestDay(DateTime.fromISO('2026-03-31', { zone: 'UTC' }))).toBe('2023-03-01');
  });
});

describe('analysedRanges', () => {
  it('leaves a past range as asked, with the previous period of equal length', () => {
    expect(analysedRanges({ start: '2024-03-01', end: '2024-03-31' }, google, NOW)).toEqual({
      range: { start: '2024-03-01', end: '2024-03-31' },
      previousRange: { start: '2024-01-30', end: '2024-02-29' },
      previousFetched: true,
      notes: [],
      previousCutNote: null,
    });
  });

  it("takes today in the account's zone: the same instant is a different day in Berlin and Los Angeles", () => {
    const instant = new Date('2024-01-10T02:00:00Z'); // 03:00 on the 10th in Berlin, 18:00 on the 9th in Los Angeles
    expect(analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, google, instant).range.end).toBe('2024-01-09');
    expect(analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, { ...google, timeZone: 'America/Los_Angeles' }, instant).range.end).toBe('2024-01-08');
  });

  it('refuses a range that starts today or later, naming dateRange', () => {
    const run = () => analysedRanges({ start: '2024-01-10', end: '2024-01-12' }, google, new Date('2024-01-10T12:00:00Z'));
    expect(run).toThrow(PermanentJobError);
    expect(run).toThrow(/^dateRange \(2024-01-10\.\.2024-01-12\) has no complete day yet: today is 2024-01-10 .*Europe\/Berlin; ask for days up to 2024-01-09$/);
  });

  it("cuts a Meta range at Meta's oldest day and says so", () => {
    const r = analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, meta, NOW);
    expect(r.range).toEqual({ start: '2024-01-11', end: '2024-01-31' });
    expect(r.previousFetched).toBe(false);
    expect(r.notes).toEqual([expect.stringContaining('Analysed from 2024-01-11'), expect.stringContaining('No comparison with the previous period (2023-12-21..2024-01-10)')]);
  });

  it("cuts a Meta previous period at Meta's oldest day", () => {
    const r = analysedRanges({ start: '2024-02-01', end: '2024-02-29' }, meta, NOW);
    expect(r.range).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(r.previousRange).toEqual({ start: '2024-01-11', end: '2024-01-31' });
    expect(r.previousFetched).toBe(true);
    expect(r.notes).toEqual([expect.stringContaining('cut to 2024-01-11..2024-01-31 (21 of 29 days')]);
    expect(r.previousCutNote).toBe(r.notes[0]);
  });

  it('refuses a Meta range wholly older than 37 months, naming dateRange.start; Google keeps it', () => {
    const run = () => analysedRanges({ start: '2023-11-01', end: '2023-12-31' }, meta, NOW);
    expect(run).toThrow(PermanentJobError);
    expect(run).toThrow(/^dateRange\.start \(2023-11-01\) .*older than Meta keeps insights .*from 2024-01-11 on$/);
    expect(analysedRanges({ start: '2023-11-01', end: '2023-12-31' }, google, NOW).notes).toEqual([]);
  });

  it('falls back to UTC for a zone this runtime does not know, with a note', () => {
    const r = analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, { platform: 'google', timeZone: 'Mars/Olympus' }, new Date('2024-01-10T23:30:00Z'));
    expect(r.range.end).toBe('2024-01-09');
    expect(r.notes[0]).toMatch(/Mars\/Olympus.*UTC/);
  });

  it("takes an as-of day ('YYYY-MM-DD') as today in any zone", () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Berlin']) {
      const ranges = analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, { platform: 'meta', timeZone }, '2024-01-20');
      expect(ranges.range).toEqual({ start: '2024-01-01', end: '2024-01-19' });
    }
    // Meta's history counts back from the as-of day: 2027-02-10 → oldest 2024-01-11.
    expect(analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, meta, '2027-02-10').range.start).toBe('2024-01-11');
    expect(() => analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, meta, '2024-13-01')).toThrow(RangeError);
  });

  it('names a single day cut off as "the day X", not "the days from X to X"', () => {
    const today = analysedRanges({ start: '2024-01-01', end: '2024-01-10' }, google, '2024-01-10');
    expect(today.notes).toEqual(['Analysed up to 2024-01-09: the day 2024-01-10 (today in Europe/Berlin) is not complete yet.']);
    const later = analysedRanges({ start: '2024-01-01', end: '2024-01-12' }, google, '2024-01-10');
    expect(later.notes).toEqual(['Analysed up to 2024-01-09: the days from 2024-01-10 (today in Europe/Berlin) to 2024-01-12 are not complete yet.']);
    // Meta's oldest day is 2024-01-11 as of 2027-02-10.
    expect(analysedRanges({ start: '2024-01-10', end: '2024-01-31' }, meta, NOW).notes[0]).toBe('Analysed from 2024-01-11: Meta keeps insights for 37 months, so the day 2024-01-10 is not available.');
    expect(analysedRanges({ start: '2024-01-01', end: '2024-01-31' }, meta, NOW).notes[0]).toBe(
      'Analysed from 2024-01-11: Meta keeps insights for 37 months, so the days from 2024-01-01 to 2024-01-10 are not available.',
    );
  });
});
