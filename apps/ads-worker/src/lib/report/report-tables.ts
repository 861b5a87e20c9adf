import { AD_KPI_NAMES, type AdAnomaly, type AdKpiName, type AdRecommendation } from '@jobs/queue-contracts';
import type { AdReportAnalysis, AdReportCampaign } from './ad-report-analysis';
import { escapeHtml } from './escape-html';
import { evidenceField } from './evidence-fields';
import { dayCount, daysInRange, rangeText } from './report-day-ranges';
import type { ReportFormatters } from './report-formatters';

/** What the report's tables need besides the analysis. */
export interface ReportTableContext {
  readonly format: ReportFormatters;
  /** Campaign id → name (every campaign of the analysis). */
  readonly names: ReadonlyMap<string, string>;
  /** The most rows a table shows; the rest are counted in its footer. */
  readonly maxRows: number;
}

const KPI_LABELS: Readonly<Record<AdKpiName, string>> = {
  impressions: 'Impressions',
  clicks: 'Clicks',
  costMicros: 'Cost',
  conversions: 'Conversions',
  conversionValueMicros: 'Conversion value',
  ctr: 'CTR',
  cpcMicros: 'CPC',
  cpmMicros: 'CPM',
  cvr: 'Conversion rate',
  cpaMicros: 'CPA',
  roas: 'ROAS',
};

const METRIC_LABELS: Readonly<Record<AdAnomaly['metric'], string>> = { cost: 'Cost', conversions: 'Conversions', cpa: 'CPA' };

/**
 * A `<table>` with a caption, head cells, body rows (already HTML) and an optional footer line,
 * in a `div.table-scroll` that scrolls sideways when the table is wider than the screen.
 */
function table(className: string, caption: string, head: readonly string[], rows: readonly string[], total: number, maxRows: number): string {
  const shown = rows.slice(0, maxRows);
  const more = total - shown.length;
  const foot = more > 0 ? `<tfoot><tr><td colspan="${head.length}">${more} more not shown (the report lists at most ${maxRows}).</td></tr></tfoot>` : '';
  const body = shown.length > 0 ? shown.join('\n') : `<tr><td colspan="${head.length}" class="empty">None.</td></tr>`;
  return `<div class="table-scroll"><table class="${className}"><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody>${foot}</table></div>`;
}

const td = (text: string, className?: string) => `<td${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</td>`;
const campaignCell = (name: string, id: string | null) =>
  id === null ? `<th scope="row">Account</th>` : `<th scope="row">${escapeHtml(name)}<span class="id">${escapeHtml(id)}</span></th>`;
const nameOf = (ctx: ReportTableContext, id: string | null) => (id === null ? 'Account' : (ctx.names.get(id) ?? id));
const trend = (value: number | null) => (value === null || value === 0 ? 'num' : value > 0 ? 'num up' : 'num down');

/**
 * The account's KPIs this period and the previous one, with the absolute and relative change;
 * when `previousTotals` is null the previous column is headed "Previous (no data)" and its
 * cells and the changes are "—".
 */
export function renderKpiTable(summary: AdReportAnalysis['summary'], format: ReportFormatters): string {
  const rows = AD_KPI_NAMES.map((name) => {
    const change = summary.change[name];
    return `<tr><th scope="row">${KPI_LABELS[name]}</th>${td(format.kpi(name, summary.totals[name]), 'num')}${td(format.kpi(name, summary.previousTotals?.[name] ?? null), 'num')}${td(format.kpiDelta(name, change.absolute), trend(change.absolute))}${td(format.change(change.relative), trend(change.relative))}</tr>`;
  });
  const previous = summary.previousTotals === null ? 'Previous (no data)' : `Previous (${rangeText(summary.previousRange)})`;
  return table('kpis', 'Account KPIs', ['KPI', 'This period', previous, 'Change', 'Change %'], rows, rows.length, rows.length);
}

/** Every campaign (by cost, descending), with its main KPIs and the change of its cost. */
export function renderCampaignTable(campaigns: readonly AdReportCampaign[], ctx: ReportTableContext): string {
  const { format } = ctx;
  const rows = campaigns.map(
    (c) =>
      `<tr>${campaignCell(c.name, c.campaignId)}${td(c.status)}${td(format.money(c.kpis.costMicros), 'num')}${td(format.change(c.change.costMicros.relative), trend(c.change.costMicros.relative))}${td(format.number(c.kpis.impressions), 'num')}${td(format.number(c.kpis.clicks), 'num')}${td(format.percent(c.kpis.ctr), 'num')}${td(format.number(c.kpis.conversions), 'num')}${td(format.money(c.kpis.cpaMicros), 'num')}${td(format.multiple(c.kpis.roas), 'num')}</tr>`,
  );
  return table('campaigns', 'Campaigns', ['Campaign', 'Status', 'Cost', 'Cost change', 'Impressions', 'Clicks', 'CTR', 'Conversions', 'CPA', 'ROAS'], rows, rows.length, ctx.maxRows);
}

/**
 * Budget pacing of the campaigns with a daily budget: the budget, the days its cost reached it
 * (95 %), the account-time hour by which it typically did (`HH:MM`, median over those days) and
 * the share of the period's budget spent.
 */
export function renderPacingTable(campaigns: readonly AdReportCampaign[], ctx: ReportTableContext): string {
  const { format } = ctx;
  const paced = campaigns.filter((c) => c.budget !== null);
  const rows = paced.map((c) => {
    const b = c.budget as NonNullable<AdReportCampaign['budget']>;
    return `<tr>${campaignCell(c.name, c.campaignId)}${td(format.money(b.dailyBudgetMicros), 'num')}${td(format.number(b.daysAtBudget), 'num')}${td(format.hour(b.medianExhaustedHour), 'num')}${td(format.percent(b.utilisation), 'num')}</tr>`;
  });
  return table('pacing', 'Budget pacing', ['Campaign', 'Daily budget', 'Days at budget', 'Budget typically spent by', 'Budget used'], rows, rows.length, ctx.maxRows);
}

/**
 * The anomalies: where, which metric and way; "From – to": the first and last day (with the
 * span's length in days when more than one); "Days flagged": the days out of band within that
 * span (an anomaly bridges short gaps, so it can be fewer than the span); expected (median) and
 * observed values, score.
 */
export function renderAnomalyTable(anomalies: readonly AdAnomaly[], ctx: ReportTableContext): string {
  const { format } = ctx;
  const rows = anomalies.map((a) => {
    // Each day kept on one line (a narrow column would break it at its hyphens).
    const day = (date: string) => `<span class="day">${escapeHtml(date)}</span>`;
    const days = a.startDate === a.endDate ? day(a.startDate) : `${day(a.startDate)} – ${day(a.endDate)} (${dayCount(daysInRange({ start: a.startDate, end: a.endDate }))})`;
    return `<tr>${campaignCell(nameOf(ctx, a.campaignId), a.campaignId)}${td(METRIC_LABELS[a.metric])}${td(a.direction === 'up' ? 'up' : 'down', a.direction)}<td>${days}</td>${td(format.number(a.days), 'num')}${td(format.metric(a.metric, a.expected), 'num')}${td(format.metric(a.metric, a.observed), 'num')}${td(a.score.toFixed(1), 'num')}</tr>`;
  });
  return table('anomalies', 'Anomalies', ['Where', 'Metric', 'Direction', 'From – to', 'Days flagged', 'Expected (median)', 'Observed', 'Score'], rows, rows.length, ctx.maxRows);
}

/**
 * The recommendations, each with its rule, reason and the numbers behind it (each evidence value
 * under its label and in its unit: see `evidenceField`).
 */
export function renderRecommendationTable(recommendations: readonly AdRecommendation[], ctx: ReportTableContext): string {
  const { format } = ctx;
  const rows = recommendations.map((r) => {
    const evidence = Object.entries(r.evidence)
      .map(([name, value]) => `<li><span class="key">${escapeHtml(evidenceField(name).label)}:</span> ${escapeHtml(format.evidence(name, value))}</li>`)
      .join('');
    return `<tr>${campaignCell(nameOf(ctx, r.campaignId), r.campaignId)}<td><strong>${escapeHtml(r.title)}</strong><br>${escapeHtml(r.reason)}<span class="id">${escapeHtml(r.rule)}</span></td><td><ul class="evidence">${evidence}</ul></td></tr>`;
  });
  return table('recommendations', 'Recommendations', ['Where', 'Recommendation', 'Evidence'], rows, rows.length, ctx.maxRows);
}
