import { MAX_RESULT_ANOMALIES, MAX_RESULT_CAMPAIGNS, MAX_RESULT_NOTE_CHARS, MAX_RESULT_NOTES, MAX_RESULT_RECOMMENDATIONS, type AdAnomaly } from '@jobs/queue-contracts';
import type { CampaignInfo, HourlyCampaignCost } from '../ads-data';
import type { AdAnalysis, AdAnalysisInput, AdCampaignSummary, AdDailySeries } from './ad-analysis';
import { budgetPacing } from './budget-pacing';
import { campaignDaySums } from './campaign-day-sums';
import { daysOfRange } from './day-range';
import { kpiChanges } from './kpi-changes';
import { kpisFromSums, ratioOrNull } from './kpis-from-sums';
import { addInto, emptySums, hasActivity, ZERO_SUMS, type MetricSums, type MutableMetricSums } from './metric-sums';
import type { CampaignFacts } from './rules/recommendation-rule';
import { recommend } from './rules/recommend';
import { seriesAnomalies } from './series-anomalies';

export type { AdAnalysis, AdAnalysisInput } from './ad-analysis';

/** Status given to a campaign that has rows but was not in the platform's campaign list. */
export const UNLISTED_CAMPAIGN_STATUS = 'UNKNOWN';

/**
 * Analyses one ad account over one range (pure; see ANALYSIS.md for every rule): KPIs per
 * campaign and for the account, the change from the previous period, daily series with zeros
 * filled in, anomalies of the daily cost, conversions and CPA, budget pacing, recommendations;
 * bounded and sorted for the result.
 * @throws RangeError when a day is malformed, a range is reversed, a row lies outside its range,
 *   or a sum leaves the safe integers.
 */
export function analyseAdAccount(input: AdAnalysisInput): AdAnalysis {
  const days = daysOfRange(input.range);
  const previousDays = daysOfRange(input.previousRange);
  const current = campaignDaySums(input.current, input.range);
  const previous = campaignDaySums(input.previous, input.previousRange);
  const hourly = hourlyByCampaignAndDay(input.hourly);

  const facts = campaignList(input.campaigns, current, previous).map((campaign): CampaignFacts & { series: AdDailySeries; daysWithData: number } => {
    const byDay = current.get(campaign.campaignId) ?? new Map<string, MetricSums>();
    const before = previous.get(campaign.campaignId);
    const kpis = kpisFromSums(sumOf(byDay.values()));
    const previousKpis = before && before.size > 0 ? kpisFromSums(sumOf(before.values())) : null;
    const series = dailySeries(campaign.campaignId, days, byDay);
    const summary: AdCampaignSummary = {
      campaignId: campaign.campaignId,
      name: campaign.name,
      status: campaign.status,
      kpis,
      previous: previousKpis,
      change: kpiChanges(kpis, previousKpis),
      budget:
        campaign.dailyBudgetMicros === null
          ? null
          : budgetPacing(campaign.dailyBudgetMicros, days, series.costMicros, hourly.get(campaign.campaignId) ?? NO_HOURS),
    };
    return {
      summary,
      dailyCostMicros: series.costMicros,
      previousCostMicros: previousKpis?.costMicros ?? 0,
      series,
      daysWithData: countActive(byDay.values()),
    };
  });
  facts.sort((a, b) => b.summary.kpis.costMicros - a.summary.kpis.costMicros || compare(a.summary.campaignId, b.summary.campaignId));

  const accountByDay = new Map<string, MutableMetricSums>();
  for (const byDay of current.values()) {
    for (const [date, sums] of byDay) {
      const total = accountByDay.get(date);
      if (total) addInto(total, sums);
      else accountByDay.set(date, addInto(emptySums(), sums));
    }
  }
  const accountPrevious = emptySums();
  let previousRows = 0;
  for (const byDay of previous.values()) {
    for (const sums of byDay.values()) {
      addInto(accountPrevious, sums);
      previousRows++;
    }
  }
  const totals = kpisFromSums(sumOf(accountByDay.values()));
  const previousTotals = previousRows > 0 ? kpisFromSums(accountPrevious) : null;
  const accountSeries = dailySeries(null, days, accountByDay);
  const accountDaysWithData = countActive(accountByDay.values());

  const allAnomalies = [
    ...anomaliesOf(accountSeries, accountDaysWithData),
    ...facts.flatMap((f) => anomaliesOf(f.series, f.daysWithData)),
  ].sort(byScore);
  const allRecommendations = recommend({
    currency: input.account.currency,
    days,
    previousDays: previousDays.length,
    account: totals,
    campaigns: facts,
    anomalies: allAnomalies,
  });
  const allCampaigns = facts.map((f) => f.summary);

  return {
    summary: {
      platform: input.account.platform,
      accountId: input.account.accountId,
      accountName: input.account.name,
      currency: input.account.currency,
      timeZone: input.account.timeZone,
      dateRange: { start: (input.requestedRange ?? input.range).start, end: (input.requestedRange ?? input.range).end },
      analysedRange: { start: input.range.start, end: input.range.end },
      notes: (input.notes ?? []).slice(0, MAX_RESULT_NOTES).map((note) => (note.length > MAX_RESULT_NOTE_CHARS ? `${note.slice(0, MAX_RESULT_NOTE_CHARS - 1)}…` : note)),
      previousRange: { start: input.previousRange.start, end: input.previousRange.end },
      totals,
      previousTotals,
      change: kpiChanges(totals, previousTotals),
      campaigns: allCampaigns.slice(0, MAX_RESULT_CAMPAIGNS),
      campaignsOmitted: Math.max(0, allCampaigns.length - MAX_RESULT_CAMPAIGNS),
      anomalies: allAnomalies.slice(0, MAX_RESULT_ANOMALIES),
      recommendations: allRecommendations.slice(0, MAX_RESULT_RECOMMENDATIONS),
    },
    daily: [accountSeries, ...facts.map((f) => f.series)],
    allCampaigns,
    allAnomalies,
    allRecommendations,
  };
}

/** The listed campaigns, plus any seen only in the rows (named by id, status `UNKNOWN`, no budget). */
function campaignList(listed: readonly CampaignInfo[], ...rowSets: ReadonlyMap<string, unknown>[]): CampaignInfo[] {
  const out = new Map(listed.map((c) => [c.campaignId, c]));
  for (const rows of rowSets) {
    for (const campaignId of rows.keys()) {
      if (!out.has(campaignId)) out.set(campaignId, { campaignId, name: campaignId, status: UNLISTED_CAMPAIGN_STATUS, dailyBudgetMicros: null });
    }
  }
  return [...out.values()];
}

const NO_HOURS: ReadonlyMap<string, readonly HourlyCampaignCost[]> = new Map();

function sumOf(values: Iterable<MetricSums>): MetricSums {
  const sum = emptySums();
  for (const value of values) addInto(sum, value);
  return sum;
}

function countActive(values: Iterable<MetricSums>): number {
  let n = 0;
  for (const value of values) if (hasActivity(value)) n++;
  return n;
}

function dailySeries(campaignId: string | null, days: readonly string[], byDay: ReadonlyMap<string, MetricSums>): AdDailySeries {
  const costMicros = new Array<number>(days.length);
  const conversions = new Array<number>(days.length);
  const cpaMicros = new Array<number | null>(days.length);
  for (let i = 0; i < days.length; i++) {
    const r = byDay.get(days[i]) ?? ZERO_SUMS;
    costMicros[i] = r.costMicros;
    conversions[i] = r.conversions;
    cpaMicros[i] = ratioOrNull(r.costMicros, r.conversions);
  }
  return { campaignId, dates: days, costMicros, conversions, cpaMicros };
}

/** Cost, conversions (every day, zeros included) and CPA (days with conversions) of one series. */
function anomaliesOf(series: AdDailySeries, daysWithData: number): AdAnomaly[] {
  const points = (values: readonly (number | null)[]) => {
    const out: { date: string; value: number }[] = [];
    values.forEach((value, i) => {
      if (value !== null) out.push({ date: series.dates[i], value });
    });
    return out;
  };
  const cpa = points(series.cpaMicros);
  return [
    ...seriesAnomalies({ campaignId: series.campaignId, metric: 'cost', points: points(series.costMicros), daysWithData }),
    ...seriesAnomalies({ campaignId: series.campaignId, metric: 'conversions', points: points(series.conversions), daysWithData }),
    ...seriesAnomalies({ campaignId: series.campaignId, metric: 'cpa', points: cpa, daysWithData: cpa.length }),
  ];
}

function hourlyByCampaignAndDay(rows: readonly HourlyCampaignCost[]): Map<string, Map<string, HourlyCampaignCost[]>> {
  const out = new Map<string, Map<string, HourlyCampaignCost[]>>();
  for (const row of rows) {
    let byDay = out.get(row.campaignId);
    if (!byDay) out.set(row.campaignId, (byDay = new Map()));
    const list = byDay.get(row.date);
    if (list) list.push(row);
    else byDay.set(row.date, [row]);
  }
  return out;
}

/** Anomalies by score descending, then the account before campaigns, then campaign id, metric and start day. */
function byScore(a: AdAnomaly, b: AdAnomaly): number {
  return (
    b.score - a.score ||
    compare(a.campaignId ?? '', b.campaignId ?? '') ||
    compare(a.metric, b.metric) ||
    compare(a.startDate, b.startDate)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
