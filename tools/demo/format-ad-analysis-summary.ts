import type { AdAnalysisResult } from '@jobs/queue-contracts';
// One formatter for the summary and the HTML report, so they write numbers alike: tools may
// depend on apps (type:tools → type:app), but apps have no import alias.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createReportFormatters } from '../../apps/ads-worker/src/lib/report/report-formatters';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { dayCount, daysInRange, rangeText, rangeWithDays as range } from '../../apps/ads-worker/src/lib/report/report-day-ranges';

const PLATFORM_NAMES = { google: 'Google Ads', meta: 'Meta' } as const;

/**
 * An `AD_ANALYSIS` result as readable lines for the demo: the account, the days analysed and
 * compared with (or "no comparison" when `previousTotals` is null; the job's range when the worker cut it, with the result's notes), totals
 * with their change, every anomaly (campaign, metric, its days and how many were flagged when
 * fewer, expected vs observed) and every
 * recommendation (rule, title, reason).
 *
 * Numbers are written by the HTML report's formatters (`createReportFormatters`, en-US), so the
 * summary and the report agree: money in the account currency from micros, changes as `+25.0%`
 * / `−7.6%` (U+2212, no space), ROAS as `3.20×`.
 */
export function formatAdAnalysisSummary(result: AdAnalysisResult): string[] {
  const f = createReportFormatters(result.currency);
  const t = result.totals;
  const ch = result.change;
  const change = (relative: number | null) => (relative === null ? '' : ` (${f.change(relative)} vs the period before)`);
  const names = new Map(result.campaigns.map((campaign) => [campaign.campaignId, campaign.name]));
  const who = (id: string | null) => (id === null ? 'account' : `${names.get(id) ?? 'campaign'} (${id})`);
  const asked = result.dateRange;
  const analysed = result.analysedRange;
  const lines = [
    `${PLATFORM_NAMES[result.platform]}: ${result.accountName ?? result.accountId} (${result.accountId}), ${result.currency}, days of ${result.timeZone}`,
    `  days analysed ${range(analysed)}, ${result.previousTotals === null ? `no comparison: no data for the previous period ${range(result.previousRange)}` : `compared with ${range(result.previousRange)}`}`,
  ];
  if (asked.start !== analysed.start || asked.end !== analysed.end) lines.push(`  job asked for ${range(asked)}`);
  for (const note of result.notes) lines.push(`  note: ${note}`);
  lines.push(
    `  cost         ${f.money(t.costMicros)}${change(ch.costMicros.relative)}`,
    `  conversions  ${f.number(t.conversions)}${change(ch.conversions.relative)}`,
    `  CPA          ${f.money(t.cpaMicros)}${change(ch.cpaMicros.relative)}`,
    `  ROAS         ${f.multiple(t.roas)}${change(ch.roas.relative)}`,
    `  CTR          ${f.percent(t.ctr)}, ${f.number(t.clicks)} ${t.clicks === 1 ? 'click' : 'clicks'} of ${f.number(t.impressions)} ${t.impressions === 1 ? 'impression' : 'impressions'}`,
    `  campaigns    ${result.campaigns.length + result.campaignsOmitted}`,
    `  anomalies (${result.anomalies.length}):`,
  );
  for (const a of result.anomalies) {
    // The span and, when gaps were bridged, how many of its days were out of band (as the report's "Days flagged").
    const span = daysInRange({ start: a.startDate, end: a.endDate });
    const days = span === 1 ? a.startDate : `${rangeText({ start: a.startDate, end: a.endDate })}, ${a.days === span ? dayCount(span) : `${a.days} of ${span} days flagged`}`;
    lines.push(`    - ${who(a.campaignId)}: ${a.metric} ${a.direction} (${days}): ${f.metric(a.metric, a.observed)} where ${f.metric(a.metric, a.expected)} is usual`);
  }
  lines.push(`  recommendations (${result.recommendations.length}):`);
  for (const r of result.recommendations) lines.push(`    - [${r.rule}] ${who(r.campaignId)}: ${r.title}`, `      ${r.reason}`);
  return lines;
}
