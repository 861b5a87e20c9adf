import { createReportFormatters, formatUtcMinute, MINUS_SIGN, NO_VALUE } from './report-formatters';

describe('createReportFormatters', () => {
  const eur = createReportFormatters('EUR');

  it('writes every negative number with U+2212 directly before it, and never a hyphen-minus', () => {
    expect(MINUS_SIGN).toBe('\u2212');
    expect(eur.change(-0.076)).toBe('\u22127.6%');
    expect(eur.change(0.25)).toBe('+25.0%');
    expect(eur.change(0)).toBe('0.0%');
    expect(eur.kpiDelta('costMicros', -1_500_000)).toBe('\u2212€1.50');
    expect(eur.kpiDelta('ctr', -0.0012)).toBe('\u22120.12 pts');
    expect(eur.kpiDelta('roas', -0.5)).toBe('\u22120.5×');
    expect(eur.kpiDelta('clicks', -12)).toBe('\u221212');
    expect(eur.money(-2_000_000)).toBe('\u2212€2.00');
    for (const text of [eur.change(-0.5), eur.kpiDelta('cpaMicros', -1), eur.number(-3), eur.percent(-0.1), eur.evidence('x', -2)]) expect(text).not.toContain('-');
    // Another locale's minus is replaced too (de-DE writes "-7 %").
    expect(createReportFormatters('EUR', 'de-DE').change(-0.07)).toBe('\u22127,0\u00a0%');
  });

  it('shows evidence in its unit: money, percent, multiple, count, hour, score; strings as given; null as a dash', () => {
    expect(eur.evidence('typicalCpaMicros', 3_020_000)).toBe('€3.02');
    expect(eur.evidence('utilisation', 1)).toBe('100%');
    expect(eur.evidence('costShare', 0.3333)).toBe('33.3%');
    expect(eur.evidence('factor', 3.04)).toBe('3.0×');
    expect(eur.evidence('cpaRatio', 2.456)).toBe('2.5×');
    expect(eur.evidence('daysAtBudget', 31)).toBe('31');
    expect(eur.evidence('clicks', 12_345)).toBe('12,345');
    expect(eur.evidence('medianExhaustedHour', 12)).toBe('12:00');
    expect(eur.evidence('medianExhaustedHour', 11.5)).toBe('11:30');
    expect(eur.evidence('score', 9.123)).toBe('9.1');
    expect(eur.evidence('lastSpendDate', '2024-01-21')).toBe('2024-01-21');
    expect(eur.evidence('accountCpaMicros', null)).toBe(NO_VALUE);
    expect(eur.evidence('somethingNew', 0.123456)).toBe('0.1235');
    expect(eur.evidence('somethingNew', 1234)).toBe('1,234');
  });

  it('formats an hour of the day as HH:MM', () => {
    expect([0, 9, 11.75, 24].map((h) => eur.hour(h))).toEqual(['00:00', '09:00', '11:45', '24:00']);
    expect(eur.hour(null)).toBe(NO_VALUE);
  });
});

describe('formatUtcMinute', () => {
  it('writes a moment as day, month, year, hour and minute in UTC', () => {
    expect(formatUtcMinute(new Date('2026-11-30T23:52:27.123Z'))).toBe('30 Nov 2026, 23:52 UTC');
    expect(formatUtcMinute(new Date('2024-09-05T04:07:00+02:00'))).toBe('5 Sep 2024, 02:07 UTC');
  });
});
