import { fakeMetaOldestSince, fakeMetaTodayIn } from './fake-meta-history-limit';

describe('fakeMetaOldestSince', () => {
  it('goes back 37 calendar months, clamping to the shorter month', () => {
    expect(fakeMetaOldestSince('2027-02-15')).toBe('2024-01-15');
    expect(fakeMetaOldestSince('2027-03-31')).toBe('2024-02-29');
    expect(fakeMetaOldestSince('2026-01-01')).toBe('2022-12-01');
  });

  it('refuses a day that is not YYYY-MM-DD', () => {
    expect(() => fakeMetaOldestSince('2027-2-15')).toThrow(/YYYY-MM-DD/);
  });
});

describe('fakeMetaTodayIn', () => {
  it("gives the day in the zone's own calendar", () => {
    const instant = new Date('2026-12-01T03:00:00Z');
    expect(fakeMetaTodayIn('America/Los_Angeles', instant)).toBe('2026-11-30');
    expect(fakeMetaTodayIn('Europe/Paris', instant)).toBe('2026-12-01');
  });
});
