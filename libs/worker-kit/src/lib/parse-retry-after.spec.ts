import { parseRetryAfterMs } from './parse-retry-after';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');

  it('reads delay-seconds, fractions rounded to ms', () => {
    expect(parseRetryAfterMs('0', now)).toBe(0);
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 1.5 ', now)).toBe(1500);
  });

  it('reads an HTTP-date as the time left until it, never negative', () => {
    expect(parseRetryAfterMs('Mon, 30 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Mon, 30 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('gives null for absent, blank or unreadable values', () => {
    for (const value of [null, undefined, '', '  ', '-5', '1e3', 'soon', 'Mon, 99 Foo 2026']) {
      expect(parseRetryAfterMs(value, now)).toBeNull();
    }
  });
});
