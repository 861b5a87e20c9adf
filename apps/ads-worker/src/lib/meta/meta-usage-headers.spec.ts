import { metaPacingPauseMs } from './meta-throttle';
import { readMetaUsage } from './meta-usage-headers';

const PACING = { slowDownAtPct: 75, pauseAtPct: 95, defaultResetMs: 60_000 };

describe('readMetaUsage', () => {
  it('takes the highest account percentage and the precise reset time of x-ad-account-usage', () => {
    const usage = readMetaUsage({
      'x-business-use-case-usage': JSON.stringify({ '1234': [{ type: 'ads_insights', call_count: 40, total_cputime: 81, total_time: 20, estimated_time_to_regain_access: 0 }] }),
      'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 50, reset_time_duration: 42 }),
      'x-fb-ads-insights-throttle': JSON.stringify({ app_id_util_pct: 12.5, acc_id_util_pct: 60 }),
    });
    expect(usage).toEqual({ account: { pct: 81, resetMs: 42_000 }, app: { pct: 12.5, resetMs: null } });
  });

  it("falls back to the BUC header's minutes to regain access, and reads x-app-usage for the app", () => {
    const usage = readMetaUsage({
      'X-Business-Use-Case-Usage': JSON.stringify({ '1': [{ type: 'ads_management', call_count: 100, estimated_time_to_regain_access: 3 }] }),
      'x-app-usage': JSON.stringify({ call_count: 96, total_cputime: 10, total_time: 5 }),
    });
    expect(usage).toEqual({ account: { pct: 100, resetMs: 180_000 }, app: { pct: 96, resetMs: null } });
  });

  it('treats absent or malformed headers as no usage', () => {
    expect(readMetaUsage(undefined)).toEqual({ account: { pct: 0, resetMs: null }, app: { pct: 0, resetMs: null } });
    expect(readMetaUsage({ 'x-ad-account-usage': '{not json' }).account).toEqual({ pct: 0, resetMs: null });
  });
});

describe('metaPacingPauseMs', () => {
  it('does not wait below the slow-down threshold', () => {
    expect(metaPacingPauseMs({ pct: 74, resetMs: 10_000 }, PACING)).toBe(0);
  });
  it('waits a growing share of the reset time between the thresholds', () => {
    expect(metaPacingPauseMs({ pct: 85, resetMs: 10_000 }, PACING)).toBe(1250);
    expect(metaPacingPauseMs({ pct: 94, resetMs: 10_000 }, PACING)).toBeGreaterThan(1250);
  });
  it('waits the whole reset time at the pause threshold (the default when the headers give none)', () => {
    expect(metaPacingPauseMs({ pct: 95, resetMs: 10_000 }, PACING)).toBe(10_000);
    expect(metaPacingPauseMs({ pct: 100, resetMs: null }, PACING)).toBe(60_000);
  });
});
