import { kpiChanges } from './kpi-changes';
import { kpisFromSums } from './kpis-from-sums';
import { addSums, ZERO_SUMS } from './metric-sums';

describe('KPIs and their change', () => {
  it('computes every ratio, in micros for money, unrounded', () => {
    expect(kpisFromSums({ impressions: 4000, clicks: 100, costMicros: 250_000_000, conversions: 7.5, conversionValueMicros: 1_000_000_000 })).toEqual({
      impressions: 4000,
      clicks: 100,
      costMicros: 250_000_000,
      conversions: 7.5,
      conversionValueMicros: 1_000_000_000,
      ctr: 0.025,
      cpcMicros: 2_500_000,
      cpmMicros: 62_500_000,
      cvr: 0.075,
      cpaMicros: 250_000_000 / 7.5,
      roas: 4,
    });
  });

  it('gives null for every zero denominator', () => {
    expect(kpisFromSums(ZERO_SUMS)).toMatchObject({ ctr: null, cpcMicros: null, cpmMicros: null, cvr: null, cpaMicros: null, roas: null });
    expect(kpisFromSums({ impressions: 10, clicks: 0, costMicros: 5, conversions: 0, conversionValueMicros: 0 })).toMatchObject({ ctr: 0, cpcMicros: null, cvr: null, cpaMicros: null, roas: 0 });
  });

  it('changes: absolute and relative, null when previous is 0, null or missing', () => {
    const now = kpisFromSums({ impressions: 150, clicks: 10, costMicros: 30, conversions: 0, conversionValueMicros: 0 });
    const before = kpisFromSums({ impressions: 100, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 });
    const change = kpiChanges(now, before);
    expect(change.impressions).toEqual({ absolute: 50, relative: 0.5 });
    expect(change.costMicros).toEqual({ absolute: 30, relative: null });
    expect(change.cpcMicros).toEqual({ absolute: null, relative: null });
    expect(change.ctr).toEqual({ absolute: 10 / 150, relative: null });
    expect(Object.values(kpiChanges(now, null)).every((c) => c.absolute === null && c.relative === null)).toBe(true);
  });

  it('refuses sums beyond the safe integers', () => {
    expect(() => addSums({ ...ZERO_SUMS, costMicros: Number.MAX_SAFE_INTEGER }, { ...ZERO_SUMS, costMicros: 1 })).toThrow(RangeError);
  });
});
