import type { AdKpiName, AdAnomaly } from '@jobs/queue-contracts';
import { evidenceField } from './evidence-fields';

/** Shown for a missing value (a ratio with a zero denominator, no previous period …). */
export const NO_VALUE = '—';

/**
 * The minus sign of every negative number the report and the demo's summary show: U+2212 MINUS
 * SIGN (typographically a minus, where `Intl` writes U+002D HYPHEN-MINUS), directly before the
 * digits or the currency symbol, with no space (`−7.6%`, `−€1.50`).
 */
export const MINUS_SIGN = '\u2212';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * A moment as day, month, year, hour and minute in UTC, e.g. `30 Nov 2026, 23:52 UTC` (English
 * month abbreviations, fixed here rather than taken from `Intl`, whose abbreviations change
 * between ICU versions: en-GB now writes "Sept").
 */
export function formatUtcMinute(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}, ${two(at.getUTCHours())}:${two(at.getUTCMinutes())} UTC`;
}

/** `format`'s output with its minus sign written as {@link MINUS_SIGN} (`Intl`'s parts, so no other hyphen is touched). */
function withMinusSign(format: Intl.NumberFormat): (value: number) => string {
  return (value) =>
    format
      .formatToParts(value)
      .map((part) => (part.type === 'minusSign' ? MINUS_SIGN : part.value))
      .join('');
}

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
  /**
   * A recommendation's evidence value in its unit (see `evidenceField`): money for `…Micros`,
   * a percentage for shares and utilisation, `3.0×` for ratios, a whole number for counts,
   * `HH:MM` for an hour, one decimal for a score; a string as given.
   */
  evidence(name: string, value: number | string | null): string;
  /** An hour of the day (0–24, may be fractional) as `HH:MM` (`11.5` → `11:30`). */
  hour(value: number | null): string;
}

const RATIO_KPIS: ReadonlySet<AdKpiName> = new Set(['ctr', 'cvr']);

/**
 * Formatters for money in `currency` (ISO 4217) and numbers in `locale` (BCP 47, default
 * `en-US`).
 * @throws RangeError (from Intl) for a currency code Intl does not accept.
 */
export function createReportFormatters(currency: string, locale = 'en-US'): ReportFormatters {
  const nf = (options: Intl.NumberFormatOptions) => withMinusSign(new Intl.NumberFormat(locale, options));
  const moneyFormat = nf({ style: 'currency', currency });
  const signedMoney = nf({ style: 'currency', currency, signDisplay: 'exceptZero' });
  const numberFormat = nf({ maximumFractionDigits: 2 });
  const signedNumber = nf({ maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const percentFormat = nf({ style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const shareFormat = nf({ style: 'percent', maximumFractionDigits: 1 });
  const signedPoints = nf({ minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const changeFormat = nf({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const multipleFormat = nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const factorFormat = nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const scoreFormat = nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const countFormat = nf({ maximumFractionDigits: 0 });
  const significant = nf({ maximumSignificantDigits: 4 });
  const or = (value: number | null, format: (v: number) => string) => (value === null ? NO_VALUE : format(value));
  const money = (micros: number | null) => or(micros, (v) => moneyFormat(v / 1_000_000));
  const number = (value: number | null) => or(value, numberFormat);
  const percent = (fraction: number | null) => or(fraction, percentFormat);
  const multiple = (value: number | null) => or(value, (v) => `${multipleFormat(v)}×`);
  const hour = (value: number | null) =>
    or(value, (v) => {
      const minutes = Math.round(v * 60);
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    });
  return Object.freeze({
    money,
    number,
    percent,
    change: (fraction: number | null) => or(fraction, changeFormat),
    multiple,
    kpi(name: AdKpiName, value: number | null) {
      if (name.endsWith('Micros')) return money(value);
      if (RATIO_KPIS.has(name)) return percent(value);
      if (name === 'roas') return multiple(value);
      return number(value);
    },
    kpiDelta(name: AdKpiName, value: number | null) {
      if (name.endsWith('Micros')) return or(value, (v) => signedMoney(v / 1_000_000));
      // A change of a percentage is in percentage points.
      if (RATIO_KPIS.has(name)) return or(value, (v) => `${signedPoints(v * 100)} pts`);
      if (name === 'roas') return or(value, (v) => `${signedNumber(v)}×`);
      return or(value, signedNumber);
    },
    metric: (metric: AdAnomaly['metric'], value: number) => (metric === 'conversions' ? number(value) : money(value)),
    evidence(name: string, value: number | string | null) {
      if (typeof value === 'string') return value;
      switch (evidenceField(name).unit) {
        case 'money':
          return money(value);
        case 'percent':
          return or(value, shareFormat);
        case 'multiple':
          return or(value, (v) => `${factorFormat(v)}×`);
        case 'count':
          return or(value, (v) => (Number.isInteger(v) ? countFormat(v) : numberFormat(v)));
        case 'hour':
          return hour(value);
        case 'score':
          return or(value, scoreFormat);
        default:
          return or(value, (v) => (Number.isInteger(v) ? numberFormat(v) : significant(v)));
      }
    },
    hour,
  });
}
