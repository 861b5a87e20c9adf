import { snapToBusinessHours, type BusinessHours } from './business-hours';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

// Monday to Friday, 09:00-17:00.
const weekdays = (timeZone: string): BusinessHours => ({ timeZone, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });

describe('snapToBusinessHours', () => {
  // 2026-11-30 is a Monday; Berlin is on UTC+1 in winter.
  const berlin = weekdays('Europe/Berlin');

  it('keeps a time inside the hours, to the millisecond', () => {
    const inside = at('2026-11-30T10:15:42.123Z'); // 11:15 in Berlin
    expect(snapToBusinessHours(inside, berlin)).toBe(inside);
    expect(iso(snapToBusinessHours(at('2026-11-30T08:00:00Z'), berlin))).toBe('2026-11-30T08:00:00.000Z'); // opening minute
  });

  it('moves a time before opening to that day\'s opening', () => {
    expect(iso(snapToBusinessHours(at('2026-11-30T05:00:00Z'), berlin))).toBe('2026-11-30T08:00:00.000Z');
  });

  it('moves a time after closing (or at closing) to the next day\'s opening', () => {
    expect(iso(snapToBusinessHours(at('2026-11-30T16:00:00Z'), berlin))).toBe('2026-12-01T08:00:00.000Z'); // 17:00 local: closed
    expect(iso(snapToBusinessHours(at('2026-11-30T22:30:00Z'), berlin))).toBe('2026-12-01T08:00:00.000Z');
  });

  it('skips a weekend to Monday', () => {
    expect(iso(snapToBusinessHours(at('2026-12-04T17:00:00Z'), berlin))).toBe('2026-12-07T08:00:00.000Z'); // Friday 18:00
    expect(iso(snapToBusinessHours(at('2026-12-05T12:00:00Z'), berlin))).toBe('2026-12-07T08:00:00.000Z'); // Saturday
    // A local Saturday that is still Friday in UTC.
    expect(iso(snapToBusinessHours(at('2026-12-04T23:30:00Z'), berlin))).toBe('2026-12-07T08:00:00.000Z');
  });

  it('opens at 09:00 local on the Monday after Berlin moves its clocks forward', () => {
    // Sunday 2026-03-29 02:00 CET -> 03:00 CEST. Friday 18:00 CET is 17:00Z; Monday 09:00 CEST is 07:00Z
    // (adding the 63 hours of a normal weekend would give 08:00Z).
    expect(iso(snapToBusinessHours(at('2026-03-27T17:00:00Z'), berlin))).toBe('2026-03-30T07:00:00.000Z');
  });

  it('on the day itself: hours on a Sunday that starts inside the skipped hour open at the change', () => {
    const sunday: BusinessHours = { timeZone: 'Europe/Berlin', days: [7], start: '02:30', end: '05:00' };
    // 00:30Z is 01:30 CET (before the gap); the wall clock jumps 02:00 -> 03:00 at 01:00Z.
    expect(iso(snapToBusinessHours(at('2026-03-29T00:30:00Z'), sunday))).toBe('2026-03-29T01:00:00.000Z');
    // 01:10Z is 03:10 CEST: inside.
    expect(snapToBusinessHours(at('2026-03-29T01:10:00Z'), sunday)).toBe(at('2026-03-29T01:10:00Z'));
    // Closing at 05:00 CEST = 03:00Z.
    expect(iso(snapToBusinessHours(at('2026-03-29T03:00:00Z'), sunday))).toBe('2026-04-05T00:30:00.000Z');
  });

  it('on the day Berlin moves its clocks back, a repeated opening time opens at its first occurrence', () => {
    // Sunday 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens at 00:30Z and again at 01:30Z.
    const sunday: BusinessHours = { timeZone: 'Europe/Berlin', days: [7], start: '02:30', end: '04:00' };
    expect(iso(snapToBusinessHours(at('2026-10-24T22:00:00Z'), sunday))).toBe('2026-10-25T00:30:00.000Z');
    // 04:00 CET is 03:00Z: the window is 2 h 30 min long that day, and 02:45Z is still inside.
    expect(snapToBusinessHours(at('2026-10-25T02:45:00Z'), sunday)).toBe(at('2026-10-25T02:45:00Z'));
  });

  it('follows New York across its spring and autumn changes', () => {
    const ny = weekdays('America/New_York');
    // Sunday 2026-03-08 02:00 EST -> 03:00 EDT. Saturday noon EST -> Monday 09:00 EDT = 13:00Z.
    expect(iso(snapToBusinessHours(at('2026-03-07T17:00:00Z'), ny))).toBe('2026-03-09T13:00:00.000Z');
    // Sunday 2026-11-01 02:00 EDT -> 01:00 EST. Friday 18:00 EDT -> Monday 09:00 EST = 14:00Z.
    expect(iso(snapToBusinessHours(at('2026-10-30T22:00:00Z'), ny))).toBe('2026-11-02T14:00:00.000Z');
  });

  it('handles a half-hour offset (Asia/Kolkata, UTC+5:30)', () => {
    const kolkata = weekdays('Asia/Kolkata');
    // Monday 09:00 IST = 03:30Z.
    expect(iso(snapToBusinessHours(at('2026-11-30T00:00:00Z'), kolkata))).toBe('2026-11-30T03:30:00.000Z');
    expect(snapToBusinessHours(at('2026-11-30T03:30:00Z'), kolkata)).toBe(at('2026-11-30T03:30:00Z'));
    // 17:00 IST = 11:30Z: closed; Tuesday 09:00 IST.
    expect(iso(snapToBusinessHours(at('2026-11-30T11:30:00Z'), kolkata))).toBe('2026-12-01T03:30:00.000Z');
    expect(snapToBusinessHours(at('2026-11-30T11:29:59.999Z'), kolkata)).toBe(at('2026-11-30T11:29:59.999Z'));
  });

  it('supports hours past midnight and an end of 24:00', () => {
    const night: BusinessHours = { timeZone: 'UTC', days: [1], start: '22:00', end: '06:00' };
    expect(iso(snapToBusinessHours(at('2026-11-30T12:00:00Z'), night))).toBe('2026-11-30T22:00:00.000Z');
    // Tuesday 03:00 belongs to Monday's night.
    expect(snapToBusinessHours(at('2026-12-01T03:00:00Z'), night)).toBe(at('2026-12-01T03:00:00Z'));
    expect(iso(snapToBusinessHours(at('2026-12-01T06:00:00Z'), night))).toBe('2026-12-07T22:00:00.000Z');
    const late: BusinessHours = { timeZone: 'UTC', days: [1], start: '20:00', end: '24:00' };
    expect(snapToBusinessHours(at('2026-11-30T23:59:00Z'), late)).toBe(at('2026-11-30T23:59:00Z'));
    expect(iso(snapToBusinessHours(at('2026-12-01T00:00:00Z'), late))).toBe('2026-12-07T20:00:00.000Z');
  });

  it('refuses bad settings with the field named', () => {
    const now = at('2026-11-30T12:00:00Z');
    expect(() => snapToBusinessHours(now, { ...berlin, timeZone: 'Mars/Olympus' })).toThrow(/businessHours.timeZone/);
    expect(() => snapToBusinessHours(now, { ...berlin, days: [] })).toThrow(/businessHours.days/);
    expect(() => snapToBusinessHours(now, { ...berlin, days: [0] })).toThrow(/businessHours.days/);
    expect(() => snapToBusinessHours(now, { ...berlin, start: '9:00' })).toThrow(/businessHours.start/);
    expect(() => snapToBusinessHours(now, { ...berlin, start: '24:00' })).toThrow(/businessHours.start/);
  });
});
