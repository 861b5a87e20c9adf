import * as echarts from 'echarts';
import type { AdAnomaly } from '@jobs/queue-contracts';
import type { AdReportDailySeries } from './ad-report-analysis';
import { REPORT_CONTENT_WIDTH_PX } from './report-styles';

/** Index of each metric's line series in a daily chart's option (the report's test hook; see {@link renderDailyChartSvg}). */
export const DAILY_CHART_SERIES = Object.freeze({ cost: 0, conversions: 1, cpa: 2 } as const);

/** Options of {@link renderDailyChartSvg}. */
export interface DailyChartOptions {
  /** The account's (campaignId null) or one campaign's daily series. */
  readonly series: AdReportDailySeries;
  /** The anomalies of this series (same campaignId); each is marked on its metric's panel. */
  readonly anomalies: readonly AdAnomaly[];
  /** Formats an axis value of the money panels (cost, CPA), given in currency units. */
  readonly formatMoneyAxis: (units: number) => string;
  /**
   * Replaces ECharts' ids and class names (`zr<instance>-c<n>`, `zr<instance>-cls-<n>`, numbered
   * per process) by `<idPrefix>-c<n>` / `<idPrefix>-cls-<n>` numbered from 0 in this chart, so
   * they are unique within the document and the same analysis renders the same bytes. Letters,
   * digits, `_` and `-`, starting with a letter.
   */
  readonly idPrefix: string;
  /** Pixels; default the report's content width ({@link REPORT_CONTENT_WIDTH_PX}, 1132) × 480 (the stylesheet scales it to the page's width, keeping the viewBox's proportions). */
  readonly width?: number;
  readonly height?: number;
}

const PANELS = [
  { metric: 'cost', title: 'Cost' },
  { metric: 'conversions', title: 'Conversions' },
  { metric: 'cpa', title: 'CPA' },
] as const;
const LINE_COLOUR = '#2f5fb3';
const ANOMALY_COLOUR = '#c62828';

/**
 * One chart of a daily series as an SVG string, drawn by Apache ECharts on the server
 * (`renderer: 'svg'`, `ssr: true`, `renderToSVGString()`, then `dispose()`), with no script and
 * no reference outside itself. Three stacked panels share the days axis: cost, conversions and
 * CPA (money in currency units: micros / 1 000 000, display only; CPA has gaps on days without
 * conversions).
 *
 * Every day of the range is one point: each line is drawn with a symbol per value
 * (`showSymbol`, `showAllSymbol: true`, so ECharts never thins them out), and ECharts' SSR output
 * tags each symbol with `ecmeta_series_index` (the panel: {@link DAILY_CHART_SERIES}) and
 * `ecmeta_data_index` (the day). The anomaly marks (a shaded band over each anomaly's days and a
 * red diamond on each of its days) belong to separate series after the three lines, so counting
 * the symbols of series 0 counts the days.
 *
 * @throws RangeError for an `idPrefix` other than letters, digits, `_` and `-`.
 *
 * The SVG's namespace attributes are dropped: the HTML parser puts an inline `<svg>` in the SVG
 * namespace by itself, and the report then holds no URL at all.
 */
export function renderDailyChartSvg(options: DailyChartOptions): string {
  if (!/^[A-Za-z][\w-]*$/.test(options.idPrefix)) throw new RangeError(`renderDailyChartSvg: idPrefix "${options.idPrefix}" must be letters, digits, _ or -`);
  const { series } = options;
  const width = options.width ?? REPORT_CONTENT_WIDTH_PX;
  const height = options.height ?? 480;
  const dates = [...series.dates];
  const values = {
    cost: series.costMicros.map((v) => v / 1_000_000),
    conversions: [...series.conversions],
    cpa: series.cpaMicros.map((v) => (v === null ? null : v / 1_000_000)),
  };
  const panelHeight = (height - 40 - PANELS.length * 44) / PANELS.length;
  const top = (i: number) => 34 + i * (panelHeight + 44);
  const axisLabel = (i: number) =>
    PANELS[i]?.metric === 'conversions' ? { formatter: (v: number) => compact(v) } : { formatter: (v: number) => options.formatMoneyAxis(v) };

  const anomalySeries = PANELS.flatMap((panel, i) => {
    const marked = options.anomalies.filter((a) => a.metric === panel.metric);
    if (marked.length === 0) return [];
    const points = dates.flatMap((date, day) => {
      const value = values[panel.metric][day];
      const inside = marked.some((a) => a.startDate <= date && date <= a.endDate);
      return inside && value !== null && value !== undefined ? [[date, value]] : [];
    });
    return [
      {
        type: 'scatter' as const,
        name: `${panel.title} anomalies`,
        xAxisIndex: i,
        yAxisIndex: i,
        data: points,
        symbol: 'diamond',
        symbolSize: 10,
        itemStyle: { color: ANOMALY_COLOUR },
        markArea: {
          silent: true,
          itemStyle: { color: 'rgba(198, 40, 40, 0.12)' },
          data: marked.map((a) => [{ xAxis: a.startDate }, { xAxis: a.endDate }]),
        },
      },
    ];
  });

  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: 'system-ui, sans-serif' },
      title: PANELS.map((panel, i) => ({ text: panel.title, left: 8, top: top(i) - 30, textStyle: { fontSize: 13, fontWeight: 'normal' } })),
      grid: PANELS.map((_, i) => ({ left: 80, right: 24, top: top(i), height: panelHeight })),
      xAxis: PANELS.map((_, i) => ({
        type: 'category',
        gridIndex: i,
        data: dates,
        boundaryGap: false,
        axisLabel: { show: i === PANELS.length - 1 },
      })),
      yAxis: PANELS.map((_, i) => ({ type: 'value', gridIndex: i, splitNumber: 3, axisLabel: axisLabel(i) })),
      series: [
        ...PANELS.map((panel, i) => ({
          type: 'line' as const,
          name: panel.title,
          xAxisIndex: i,
          yAxisIndex: i,
          data: values[panel.metric],
          showSymbol: true,
          showAllSymbol: true,
          symbol: 'circle',
          symbolSize: dates.length > 120 ? 2 : 4,
          connectNulls: false,
          lineStyle: { width: 1.5, color: LINE_COLOUR },
          itemStyle: { color: LINE_COLOUR },
        })),
        ...anomalySeries,
      ],
    });
    return withStableIds(withoutNamespaces(chart.renderToSVGString()), options.idPrefix);
  } finally {
    chart.dispose();
  }
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
function compact(value: number): string {
  return compactFormat.format(value);
}

/** Drops `xmlns` / `xmlns:xlink` from the root `<svg>` (see {@link renderDailyChartSvg}). */
function withoutNamespaces(svg: string): string {
  return svg.replace(/^<svg\b[^>]*>/, (open) => open.replace(/\s+xmlns(?::xlink)?="[^"]*"/g, ''));
}

/** Renames `zr<i>-<kind><n>` names (see {@link DailyChartOptions.idPrefix}) in order of first use. */
function withStableIds(svg: string, idPrefix: string): string {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/\bzr\d+-([a-z]+-?)(\d+)\b/g, (name: string, kind: string) => {
    let renamed = names.get(name);
    if (renamed === undefined) {
      const n = counts.get(kind) ?? 0;
      counts.set(kind, n + 1);
      renamed = `${idPrefix}-${kind}${n}`;
      names.set(name, renamed);
    }
    return renamed;
  });
}
