import type { AdReportAnalysis, AdReportCampaign, AdReportDailySeries } from './ad-report-analysis';
import { escapeHtml } from './escape-html';
import { renderDailyChartSvg } from './render-daily-chart-svg';
import { createReportFormatters, formatUtcMinute } from './report-formatters';
import { dayCount, daysInRange, rangeText, rangeWithDays } from './report-day-ranges';
import { REPORT_STYLES } from './report-styles';
import { renderAnomalyTable, renderCampaignTable, renderKpiTable, renderPacingTable, renderRecommendationTable, type ReportTableContext } from './report-tables';

/** Default of `maxChartedCampaigns` (`ADS_REPORT_MAX_CHARTED_CAMPAIGNS`). */
export const DEFAULT_MAX_CHARTED_CAMPAIGNS = 20;
/** Default of `maxTableRows`: the most rows any table of the report shows. */
export const DEFAULT_MAX_TABLE_ROWS = 500;

/** Options of {@link renderAdReportHtml}. */
export interface AdReportHtmlOptions {
  /** Campaigns charted, the most costly first; default {@link DEFAULT_MAX_CHARTED_CAMPAIGNS}; 0 charts only the account. */
  readonly maxChartedCampaigns?: number;
  /** The most rows of each table; default {@link DEFAULT_MAX_TABLE_ROWS}. */
  readonly maxTableRows?: number;
  /** BCP 47 locale of numbers and money; default `en-US`. */
  readonly locale?: string;
  /** When the report was made (shown in its header); default now. */
  readonly generatedAt?: Date;
}

/** A rendered report. */
export interface AdReportHtml {
  /** The whole document, UTF-8 text. */
  readonly html: string;
  /** Campaigns with a daily series that were not charted (they are in the tables). */
  readonly campaignsNotCharted: number;
}

const PLATFORM_NAMES = { google: 'Google Ads', meta: 'Meta' } as const;

/**
 * The analysis as one self-contained HTML document: inline CSS, inline SVG charts (see
 * `renderDailyChartSvg`), no script, no image, no font, no link: nothing is loaded from
 * anywhere, and a `Content-Security-Policy` meta tag (`default-src 'none'`) says so to the
 * browser. Every text that comes from the platform or the user (account and campaign names,
 * ids, reasons) is escaped.
 *
 * Contents: header (account, platform, currency, time zone, when it was made in UTC; the days
 * analysed (`analysedRange`) and the period compared with, or "no comparison" when
 * `previousTotals` is null, the job's `dateRange` too when it differs, and the result's `notes`); account KPIs with their change; the account's daily chart
 * and one per campaign for the `maxChartedCampaigns` campaigns with the highest cost (ties by
 * id), anomaly days marked, each over exactly the days of `analysedRange` (days of a series
 * outside it are left out);
 * tables of campaigns (by cost), budget pacing, anomalies and recommendations (with evidence),
 * each at most `maxTableRows` rows, the rest counted in its footer. Money is shown in the
 * account currency from micros with `Intl.NumberFormat` (display only).
 *
 * Synchronous: a large account's report holds the event loop for the whole render (seconds for
 * hundreds of campaigns over years); a worker renders with {@link renderAdReportHtmlYielding}.
 * @throws RangeError for a currency code `Intl` refuses (the contract allows three capitals only).
 */
export function renderAdReportHtml(analysis: AdReportAnalysis, options: AdReportHtmlOptions = {}): AdReportHtml {
  const plan = planReport(analysis, options);
  return plan.assemble(plan.parts.map((part) => part()));
}

/**
 * {@link renderAdReportHtml}, giving the event loop a turn (`setImmediate`) before each chart
 * and each table, so a worker's lock renewals, health probes and other jobs run during a large
 * render: the longest stretch without a turn is one chart or one table (at most `maxTableRows`
 * rows). The same bytes as {@link renderAdReportHtml} for the same input and `generatedAt`.
 * @throws as {@link renderAdReportHtml}.
 */
export async function renderAdReportHtmlYielding(analysis: AdReportAnalysis, options: AdReportHtmlOptions = {}): Promise<AdReportHtml> {
  const plan = planReport(analysis, options);
  const rendered: string[] = [];
  for (const part of plan.parts) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    rendered.push(part());
  }
  return plan.assemble(rendered);
}

interface ReportPlan {
  /** The tables and charts, in document order, each rendered on call. */
  readonly parts: readonly (() => string)[];
  /** The document, from the parts' output in the same order. */
  assemble(rendered: readonly string[]): AdReportHtml;
}

function planReport(analysis: AdReportAnalysis, options: AdReportHtmlOptions): ReportPlan {
  const { summary } = analysis;
  const maxCharted = Math.max(0, Math.floor(options.maxChartedCampaigns ?? DEFAULT_MAX_CHARTED_CAMPAIGNS));
  const maxRows = Math.max(1, Math.floor(options.maxTableRows ?? DEFAULT_MAX_TABLE_ROWS));
  const format = createReportFormatters(summary.currency, options.locale);
  const campaigns = [...analysis.allCampaigns].sort(byCost);
  const names = new Map(campaigns.map((c) => [c.campaignId, c.name]));
  const ctx: ReportTableContext = { format, names, maxRows };

  const analysed = summary.analysedRange;
  const seriesById = new Map(analysis.daily.map((s) => [s.campaignId, withinRange(s, analysed)]));
  const chartable = campaigns.filter((c) => seriesById.has(c.campaignId));
  const charted = chartable.slice(0, maxCharted);
  const moneyAxis = new Intl.NumberFormat(options.locale ?? 'en-US', { style: 'currency', currency: summary.currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });
  // Chart ids are numbered in document order, fixed here (not when rendered), so every way of
  // rendering gives the same bytes.
  let charts = 0;
  const chart = (campaignId: string | null, title: string, idLine: string): (() => string) => {
    const series = seriesById.get(campaignId);
    if (!series) return () => '';
    const idPrefix = `chart${charts++}`;
    return () => {
      const svg = renderDailyChartSvg({
        idPrefix,
        series,
        anomalies: analysis.allAnomalies.filter((a) => a.campaignId === campaignId),
        formatMoneyAxis: (units) => moneyAxis.format(units),
      });
      const idAttr = campaignId === null ? 'data-account="true"' : `data-campaign-id="${escapeHtml(campaignId)}"`;
      return `<figure class="daily-chart" ${idAttr} data-days="${series.dates.length}"><figcaption>${escapeHtml(title)}${idLine}</figcaption>\n${svg}\n</figure>`;
    };
  };

  const parts = [
    () => renderKpiTable(summary, format),
    chart(null, 'Account, daily', ''),
    () => renderRecommendationTable(analysis.allRecommendations, ctx),
    () => renderAnomalyTable(analysis.allAnomalies, ctx),
    () => renderCampaignTable(campaigns, ctx),
    () => renderPacingTable(campaigns, ctx),
    ...charted.map((c) => chart(c.campaignId, c.name, `<span class="id">${escapeHtml(c.campaignId)}</span>`)),
  ];

  const account = summary.accountName ?? summary.accountId;
  const range = escapeHtml(rangeText(analysed));
  const period = `<p class="period">${periodText(summary)}</p>`;
  const notes = summary.notes.length === 0 ? '' : `\n<ul class="notes">${summary.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`;
  const notCharted = chartable.length - charted.length;
  const chartNote =
    notCharted > 0 ? `<p class="note">${notCharted === 1 ? '1 more campaign is' : `${notCharted} more campaigns are`} not charted (the report charts the ${maxCharted === 1 ? 'one' : maxCharted} with the highest cost); all are in the tables.</p>` : '';
  const generatedAt = formatUtcMinute(options.generatedAt ?? new Date());

  const assemble = (rendered: readonly string[]): AdReportHtml => {
    const [kpiTable, accountChart, recommendationTable, anomalyTable, campaignTable, pacingTable, ...campaignCharts] = rendered;
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ad analysis: ${escapeHtml(account)} ${range}</title>
<style>${REPORT_STYLES}</style>
</head>
<body>
<header>
<h1>Ad analysis: ${escapeHtml(account)}</h1>
<p class="meta">${PLATFORM_NAMES[summary.platform]} account ${escapeHtml(summary.accountId)} · ${escapeHtml(summary.currency)} · days in ${escapeHtml(summary.timeZone)} · made ${generatedAt}</p>
${period}${notes}
</header>
<section id="kpis"><h2>Account</h2>
${kpiTable}
${accountChart}
</section>
<section id="recommendations"><h2>What to change</h2>
${recommendationTable}
</section>
<section id="anomalies"><h2>What looked unusual</h2>
${anomalyTable}
</section>
<section id="campaigns"><h2>Campaigns and budgets</h2>
${campaignTable}
${pacingTable}
</section>
<section id="charts"><h2>Campaigns, daily</h2>
${chartNote}
${campaignCharts.join('\n')}
</section>
</body>
</html>
`;
    return { html, campaignsNotCharted: notCharted };
  };
  return { parts, assemble };
}

/** Cost descending, then id ascending (a stable order for equal costs). */
function byCost(a: AdReportCampaign, b: AdReportCampaign): number {
  return b.kpis.costMicros - a.kpis.costMicros || (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0);
}

/**
 * The header's sentence on the days: those analysed (`analysedRange`) and their length; the
 * period compared with, or, when `previousTotals` is null (not fetched, or the platform had no
 * data for it), that there is no comparison; the job's `dateRange` when it differs. HTML, escaped.
 */
function periodText(summary: AdReportAnalysis['summary']): string {
  const analysed = summary.analysedRange;
  const asked = summary.dateRange;
  const days = `Days analysed: <strong>${escapeHtml(rangeText(analysed))}</strong> (${dayCount(daysInRange(analysed))})`;
  const compared =
    summary.previousTotals === null
      ? `; no comparison: there is no data for the previous period (${escapeHtml(rangeWithDays(summary.previousRange))}).`
      : `, compared with ${escapeHtml(rangeWithDays(summary.previousRange))}.`;
  const askedLine = asked.start === analysed.start && asked.end === analysed.end ? '' : ` The job asked for ${escapeHtml(rangeWithDays(asked))}.`;
  return `${days}${compared}${askedLine}`;
}

/** `series` with only its days within `range` (the same object when all are). */
function withinRange(series: AdReportDailySeries, range: { readonly start: string; readonly end: string }): AdReportDailySeries {
  const keep = series.dates.flatMap((date, i) => (range.start <= date && date <= range.end ? [i] : []));
  if (keep.length === series.dates.length) return series;
  const pick = <T>(values: readonly T[]): T[] => keep.map((i) => values[i] as T);
  return { ...series, dates: pick(series.dates), costMicros: pick(series.costMicros), conversions: pick(series.conversions), cpaMicros: pick(series.cpaMicros) };
}
