// A hand-built analysis for the report's tests (not the analysis's own output, which its
// known-answer tests cover): simple, deterministic daily series, a few anomalies and
// recommendations, and a campaign whose name looks like markup.
import { AD_KPI_NAMES, type AdKpiChanges, type AdKpis } from '@jobs/queue-contracts';
import type { AdReportAnalysis, AdReportCampaign, AdReportDailySeries } from '../ad-report-analysis';

/** A campaign name that must stay text in the report. */
export const MARKUP_CAMPAIGN_NAME = `<script>alert("x")</script><img src=x onerror=alert(1)> Sale & "Deals"`;

/** Options of {@link sampleReportAnalysis}. */
export interface SampleReportOptions {
  /** Days from 2024-01-01; default 31. */
  readonly days?: number;
  /** Campaigns; default 3 (the second named {@link MARKUP_CAMPAIGN_NAME}). */
  readonly campaigns?: number;
  readonly currency?: string;
}

const DAY_MS = 86_400_000;

function kpis(impressions: number, clicks: number, costMicros: number, conversions: number, conversionValueMicros: number): AdKpis {
  const div = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    impressions,
    clicks,
    costMicros,
    conversions,
    conversionValueMicros,
    ctr: div(clicks, impressions),
    cpcMicros: div(costMicros, clicks),
    cpmMicros: impressions === 0 ? null : (costMicros / impressions) * 1000,
    cvr: div(conversions, clicks),
    cpaMicros: div(costMicros, conversions),
    roas: div(conversionValueMicros, costMicros),
  };
}

function change(current: AdKpis, previous: AdKpis | null): AdKpiChanges {
  return Object.fromEntries(
    AD_KPI_NAMES.map((name) => {
      const c = current[name];
      const p = previous?.[name] ?? null;
      const absolute = c === null || p === null ? null : c - p;
      return [name, { absolute, relative: absolute === null || p === 0 || p === null ? null : absolute / p }];
    }),
  ) as AdKpiChanges;
}

/** An analysis of `days` days of `campaigns` campaigns (campaign i costs (i+1) × 10 units a day). */
export function sampleReportAnalysis(options: SampleReportOptions = {}): AdReportAnalysis {
  const days = options.days ?? 31;
  const count = options.campaigns ?? 3;
  const currency = options.currency ?? 'EUR';
  const start = Date.UTC(2024, 0, 1);
  const dates = Array.from({ length: days }, (_, d) => new Date(start + d * DAY_MS).toISOString().slice(0, 10));
  const prevDates = { start: new Date(start - days * DAY_MS).toISOString().slice(0, 10), end: new Date(start - DAY_MS).toISOString().slice(0, 10) };
  const daily: AdReportDailySeries[] = [];
  const campaigns: AdReportCampaign[] = [];
  for (let i = 0; i < count; i++) {
    const id = String(1000 + i);
    const cost = dates.map((_, d) => (i + 1) * 10_000_000 + (d % 3) * 10_000);
    const conversions = dates.map((_, d) => (i === 0 && d >= 14 && d <= 16 ? 1 : 3));
    daily.push({ campaignId: id, dates, costMicros: cost, conversions, cpaMicros: cost.map((c, d) => c / (conversions[d] as number)) });
    const total = cost.reduce((a, b) => a + b, 0);
    const conv = conversions.reduce((a, b) => a + b, 0);
    const current = kpis(days * 1000, days * 50, total, conv, total * 3);
    const previous = kpis(days * 900, days * 45, Math.round(total * 0.9), conv, total * 2);
    campaigns.push({
      campaignId: id,
      name: i === 1 ? MARKUP_CAMPAIGN_NAME : `Campaign ${i + 1}`,
      status: 'ENABLED',
      kpis: current,
      previous,
      change: change(current, previous),
      budget: i === 0 ? { dailyBudgetMicros: 10_020_000, daysAtBudget: 4, medianExhaustedHour: 12, utilisation: 0.99 } : null,
    });
  }
  const sum = (pick: (s: AdReportDailySeries) => readonly number[]) => dates.map((_, d) => daily.reduce((a, s) => a + (pick(s)[d] as number), 0));
  const accountCost = sum((s) => s.costMicros);
  const accountConv = sum((s) => s.conversions);
  daily.unshift({ campaignId: null, dates, costMicros: accountCost, conversions: accountConv, cpaMicros: accountCost.map((c, d) => (accountConv[d] === 0 ? null : c / (accountConv[d] as number))) });
  const totalCost = accountCost.reduce((a, b) => a + b, 0);
  const totals = kpis(days * 1000 * count, days * 50 * count, totalCost, accountConv.reduce((a, b) => a + b, 0), totalCost * 3);
  const previousTotals = kpis(days * 900 * count, days * 45 * count, Math.round(totalCost * 0.9), totals.conversions, totalCost * 2);
  // The anomalies and recommendation need the 17 days they name.
  const allAnomalies = days < 17 || count < 2 ? [] : [
    { campaignId: '1000', metric: 'cpa' as const, direction: 'up' as const, startDate: dates[14] as string, endDate: dates[16] as string, days: 3, expected: 3_340_000, observed: 10_020_000, score: 9.1 },
    { campaignId: '1000', metric: 'conversions' as const, direction: 'down' as const, startDate: dates[14] as string, endDate: dates[16] as string, days: 3, expected: 3, observed: 1, score: 6.7 },
  ];
  const allRecommendations = days < 17 || count < 2 ? [] : [
    {
      rule: 'cpa-spike',
      campaignId: '1001',
      title: 'Check what changed <b>here</b>',
      reason: 'CPA rose & stayed "high"',
      evidence: { cpaMicros: 10_020_000, accountCpaMicros: 3_340_000, costShare: 0.3333, note: '<i>x</i>', missing: null },
    },
  ];
  const sorted = [...campaigns].sort((a, b) => b.kpis.costMicros - a.kpis.costMicros);
  return {
    summary: {
      platform: 'google',
      accountId: '1234567890',
      accountName: 'Acme <Shoes>',
      currency,
      timeZone: 'Europe/Berlin',
      dateRange: { start: dates[0] as string, end: dates[days - 1] as string },
      analysedRange: { start: dates[0] as string, end: dates[days - 1] as string },
      notes: [],
      previousRange: prevDates,
      totals,
      previousTotals,
      change: change(totals, previousTotals),
      campaigns: sorted.slice(0, 50),
      campaignsOmitted: Math.max(0, sorted.length - 50),
      anomalies: allAnomalies,
      recommendations: allRecommendations,
    },
    daily,
    allCampaigns: campaigns,
    allAnomalies,
    allRecommendations,
  };
}
