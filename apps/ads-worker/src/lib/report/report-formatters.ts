import type { AdKpiName, AdAnomaly } from '@jobs/queue-contracts';

/** Shown for a missing value (a ratio with a zero denominator, no previous period …). */
export const NO_VALUE = '—';

/**
 * Display formatting of the report's numbers, for one account currency and locale. Display
 * only: the analysis keeps money in whole micros; here it is divided by 1 000 000 and rounded to
 * the currency's usual digits by `Intl.NumberFormat` (e.g. 2 for EUR, 0 for JPY). Every method
 * shows {@link NO_VALUE} for null.
 */
export interface ReportFormatters {
  /** Micros of the account currency as money, e.g. `€1,234.57`. */
  money(micros: number | null): string;
  /** A count or a conversions figure (up to 2 decimals), grouped. */
  number(value: number | null): string;
  /** A fraction as a percentage with 2 decimals (`0.0123` → `1.23%`). */
  percent(fraction: number | null): string;
  /** A relative change with its sign (`0.25` → `+25.0%`). */
  change(fraction: number | null): string;
  /** ROAS as a multiple (`3.2` → `3.20×`). */
  multiple(value: number | null): string;
  /** One KPI of the result contract in its unit (money for `…Micros`, percent for ctr/cvr …). */
  kpi(name: AdKpiName, value: number | null): string;
  /** A KPI's absolute change in its unit, signed (ctr/cvr in percentage points, `+0.12 pts`). */
  kpiDelta(name: AdKpiName, value: number | null): string;
  /** An anomaly's `expected`/`observed` in its metric's unit (money for cost and CPA). */
  metric(metric: AdAnomaly['metric'], value: number): string;
  /** A recommendation's evidence value: money when its name ends in `Micros`, else as given. */
  evidence(name: string, value: number | string | null): string;
}

const RATIO_KPIS: ReadonlySet<AdKpiName> = new Set(['ctr', 'cvr']);

/**
 * Formatters for money in `currency` (ISO 4217) and numbers in `locale` (BCP 47, default
 * `en-US`).
 * @throws RangeError (from Intl) for a currency code Intl does not accept.
 */
export function createReportFormatters(currency: string, locale = 'en-US'): ReportFormatters {
  const moneyFormat = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const signedMoney = new Intl.NumberFormat(locale, { style: 'currency', currency, signDisplay: 'exceptZero' });
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const signedNumber = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const signedPoints = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const changeFormat = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const multipleFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const or = (value: number | null, format: (v: number) => string) => (value === null ? NO_VALUE : format(value));
  const money = (micros: number | null) => or(micros, (v) => moneyFormat.format(v / 1_000_000));
  const number = (value: number | null) => or(value, (v) => numberFormat.format(v));
  const percent = (fraction: number | null) => or(fraction, (v) => percentFormat.format(v));
  const multiple = (value: number | null) => or(value, (v) => `${multipleFormat.format(v)}×`);
  return Object.freeze({
    money,
    number,
    percent,
    change: (fraction: number | null) => or(fraction, (v) => changeFormat.format(v)),
    multiple,
    kpi(name: AdKpiName, value: number | null) {
      if (name.endsWith('Micros')) return money(value);
      if (RATIO_KPIS.has(name)) return percent(value);
      if (name === 'roas') return multiple(value);
      return number(value);
    },
    kpiDelta(name: AdKpiName, value: number | null) {
      if (name.endsWith('Micros')) return or(value, (v) => signedMoney.format(v / 1_000_000));
      // A change of a percentage is in percentage points.
      if (RATIO_KPIS.has(name)) return or(value, (v) => `${signedPoints.format(v * 100)} pts`);
      if (name === 'roas') return or(value, (v) => `${signedNumber.format(v)}×`);
      return or(value, (v) => signedNumber.format(v));
    },
    metric: (metric: AdAnomaly['metric'], value: number) => (metric === 'conversions' ? number(value) : money(value)),
    evidence(name: string, value: number | string | null) {
      if (typeof value === 'string') return value;
      if (name.endsWith('Micros')) return money(value);
      return or(value, (v) => (Number.isInteger(v) ? numberFormat.format(v) : new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 }).format(v)));
    },
  });
}
