import type { AdAnalysisResult } from '@jobs/queue-contracts';

const PLATFORM_NAMES = { google: 'Google Ads', meta: 'Meta' } as const;

/** Money in micros as the account currency, e.g. `€1,234.56` (display only: rounded here, never before). */
function money(micros: number | null, currency: string): string {
  if (micros === null) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(micros / 1_000_000);
}

function number(value: number | null, digits = 0): string {
  return value === null ? '—' : new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

function change(relative: number | null): string {
  if (relative === null) return '';
  const pct = relative * 100;
  return ` (${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} % vs the period before)`;
}

/**
 * An `AD_ANALYSIS` result as readable lines for the demo: the account and periods, totals with
 * their change, every anomaly (campaign, metric, days, expected vs observed) and every
 * recommendation (rule, title, reason). Money is shown in the account currency from micros.
 */
export function formatAdAnalysisSummary(result: AdAnalysisResult): string[] {
  const c = result.currency;
  const t = result.totals;
  const ch = result.change;
  const names = new Map(result.campaigns.map((campaign) => [campaign.campaignId, campaign.name]));
  const who = (id: string | null) => (id === null ? 'account' : `${names.get(id) ?? 'campaign'} (${id})`);
  const value = (metric: 'cost' | 'conversions' | 'cpa', v: number) => (metric === 'conversions' ? number(v, 1) : money(v, c));
  const lines = [
    `${PLATFORM_NAMES[result.platform]}: ${result.accountName ?? result.accountId} (${result.accountId}), ${c}, days of ${result.timeZone}`,
    `  ${result.dateRange.start} … ${result.dateRange.end}, compared with ${result.previousRange.start} … ${result.previousRange.end}`,
    `  cost         ${money(t.costMicros, c)}${change(ch.costMicros.relative)}`,
    `  conversions  ${number(t.conversions, 1)}${change(ch.conversions.relative)}`,
    `  CPA          ${money(t.cpaMicros, c)}${change(ch.cpaMicros.relative)}`,
    `  ROAS         ${number(t.roas, 2)}${change(ch.roas.relative)}`,
    `  CTR          ${t.ctr === null ? '—' : `${(t.ctr * 100).toFixed(2)} %`}, ${number(t.clicks)} clicks of ${number(t.impressions)} impressions`,
    `  campaigns    ${result.campaigns.length + result.campaignsOmitted}`,
    `  anomalies (${result.anomalies.length}):`,
  ];
  for (const a of result.anomalies) {
    const days = a.days === 1 ? a.startDate : `${a.startDate} … ${a.endDate}, ${a.days} days`;
    lines.push(`    - ${who(a.campaignId)}: ${a.metric} ${a.direction} (${days}): ${value(a.metric, a.observed)} where ${value(a.metric, a.expected)} is usual`);
  }
  lines.push(`  recommendations (${result.recommendations.length}):`);
  for (const r of result.recommendations) lines.push(`    - [${r.rule}] ${who(r.campaignId)}: ${r.title}`, `      ${r.reason}`);
  return lines;
}
