/** When calls may ring, in the callee's local time. */
export interface CallingWindow {
  /** Minutes after local midnight the window opens (inclusive), e.g. 540 for 09:00. */
  readonly startMinute: number;
  /** Minutes after local midnight it closes (exclusive), e.g. 1200 for 20:00. */
  readonly endMinute: number;
  /** Local weekdays calls are allowed, 0 = Sunday … 6 = Saturday. */
  readonly days: ReadonlySet<number>;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function localClock(at: number, zone: string): { day: number; minute: number } {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: WEEKDAYS.indexOf(parts['weekday'] ?? ''), minute: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

function isOpen(at: number, zone: string, window: CallingWindow): boolean {
  const { day, minute } = localClock(at, zone);
  return window.days.has(day) && minute >= window.startMinute && minute < window.endMinute;
}

/**
 * Milliseconds from `now` until a call may ring in every one of `zones` (0 when it may now).
 * A number whose prefix spans several zones waits until the window is open in all of them.
 * Searched minute by minute over the next 8 days (daylight-saving changes included, via Intl).
 * @returns null when no such minute exists (zones too far apart for the window; the caller
 *   decides), or when `window.days` is empty.
 */
export function msUntilCallingWindow(now: number, zones: readonly string[], window: CallingWindow): number | null {
  if (zones.every((zone) => isOpen(now, zone, window))) return 0;
  const firstMinute = Math.ceil(now / 60_000) * 60_000;
  for (let at = firstMinute; at < now + 8 * 86_400_000; at += 60_000) {
    if (zones.every((zone) => isOpen(at, zone, window))) return at - now;
  }
  return null;
}
