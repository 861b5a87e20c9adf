import { msUntilCallingWindow, type CallingWindow } from './calling-window';

const weekdays9to20: CallingWindow = { startMinute: 9 * 60, endMinute: 20 * 60, days: new Set([1, 2, 3, 4, 5]) };
const at = (iso: string) => Date.parse(iso);

describe('msUntilCallingWindow', () => {
  it('is 0 inside the window in the callee\'s zone', () => {
    // Tuesday 2024-03-12 15:00 UTC = 11:00 in New York (EDT), 08:00 in Los Angeles (PDT).
    expect(msUntilCallingWindow(at('2024-03-12T15:00:00Z'), ['America/New_York'], weekdays9to20)).toBe(0);
  });

  it('waits for 09:00 local when it is early there', () => {
    expect(msUntilCallingWindow(at('2024-03-12T15:00:00Z'), ['America/Los_Angeles'], weekdays9to20)).toBe(60 * 60_000);
  });

  it('waits over a weekend to Monday 09:00', () => {
    // Friday 2024-03-15 21:00 in London (GMT) → Monday 09:00 = 2 days 12 hours later.
    expect(msUntilCallingWindow(at('2024-03-15T21:00:00Z'), ['Europe/London'], weekdays9to20)).toBe((2 * 24 + 12) * 3_600_000);
  });

  it('follows daylight saving: 09:00 in New York is 13:00 UTC in summer, 14:00 in winter', () => {
    expect(msUntilCallingWindow(at('2024-07-10T12:30:00Z'), ['America/New_York'], weekdays9to20)).toBe(30 * 60_000);
    expect(msUntilCallingWindow(at('2024-01-10T13:30:00Z'), ['America/New_York'], weekdays9to20)).toBe(30 * 60_000);
  });

  it('waits until the window is open in every zone of a number that spans several', () => {
    // 16:00 UTC: 12:00 in New York, 09:00 in Los Angeles → open in both.
    expect(msUntilCallingWindow(at('2024-03-12T15:30:00Z'), ['America/New_York', 'America/Los_Angeles'], weekdays9to20)).toBe(30 * 60_000);
  });

  it('gives null when the zones never share the window', () => {
    const narrow: CallingWindow = { startMinute: 9 * 60, endMinute: 10 * 60, days: new Set([0, 1, 2, 3, 4, 5, 6]) };
    expect(msUntilCallingWindow(at('2024-03-12T00:00:00Z'), ['Asia/Tokyo', 'America/New_York'], narrow)).toBeNull();
  });
});
