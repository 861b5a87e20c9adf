import { adAnalysisResultSchema, MAX_RESULT_CAMPAIGNS, MAX_RESULT_NOTE_CHARS, MAX_RESULT_NOTES } from '@jobs/queue-contracts';
import { SYNTHETIC_AD_ACCOUNTS } from '@jobs/test-support';
import type { DailyCampaignMetrics } from '../ads-data';
import { analyseAdAccount, UNLISTED_CAMPAIGN_STATUS } from './analyse-ad-account';
import { previousPeriod } from './day-range';
import { syntheticAccount, syntheticAnalysisInput } from './test-support/synthetic-analysis-input';

const MONTHS = Array.from({ length: 24 }, (_, i) => {
  const start = new Date(Date.UTC(2023, i, 1));
  const end = new Date(Date.UTC(2023, i + 1, 0));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
});
const account = { platform: 'google' as const, accountId: '1112223334', name: 'Test', currency: 'EUR', timeZone: 'Europe/Berlin' };
const row = (campaignId: string, date: string, costMicros: number, conversions = 1): DailyCampaignMetrics => ({
  campaignId, date, impressions: 100, clicks: 10, costMicros, conversions, conversionValueMicros: 0,
});

describe('analyseAdAccount', () => {
  it('finds nothing on the clean accounts in any month of 2023–2024', () => {
    for (const synthetic of SYNTHETIC_AD_ACCOUNTS.filter((a) => a.faults.length === 0)) {
      for (const range of MONTHS) {
        const { allAnomalies, allRecommendations } = analyseAdAccount(syntheticAnalysisInput(synthetic, range));
        expect([synthetic.accountId, range.start, allAnomalies, allRecommendations]).toEqual([synthetic.accountId, range.start, [], []]);
      }
    }
  });

  it('finds only the budget-capped campaign on the faulty accounts in 2023, before the other faults', () => {
    for (const synthetic of SYNTHETIC_AD_ACCOUNTS.filter((a) => a.faults.length > 0)) {
      const capped = synthetic.faults.find((f) => f.kind === 'budget-exhausted-by-noon')!.campaignId;
      for (const range of MONTHS.slice(1, 12)) {
        const { allAnomalies, allRecommendations } = analyseAdAccount(syntheticAnalysisInput(synthetic, range));
        expect([range.start, allAnomalies, allRecommendations.map((r) => [r.rule, r.campaignId])]).toEqual([range.start, [], [['budget-limited', capped]]]);
      }
    }
  });

  it('still names the stopped campaign the month after it stopped, and no more after that', () => {
    const google = syntheticAccount('google', '1234567890');
    const february = analyseAdAccount(syntheticAnalysisInput(google, { start: '2024-02-01', end: '2024-02-29' }));
    expect(february.allRecommendations.find((r) => r.rule === 'stopped-spending')).toMatchObject({
      campaignId: '21000000002',
      evidence: { lastSpendDate: null, daysWithoutSpend: 29 },
    });
    const march = analyseAdAccount(syntheticAnalysisInput(google, { start: '2024-03-01', end: '2024-03-31' }));
    expect(march.allRecommendations.map((r) => r.rule)).toEqual(['budget-limited']);
  });

  it('stays silent on anomalies over a range shorter than 14 days, even across the faults', () => {
    for (const synthetic of SYNTHETIC_AD_ACCOUNTS.filter((a) => a.faults.length > 0)) {
      const analysis = analyseAdAccount(syntheticAnalysisInput(synthetic, { start: '2024-01-06', end: '2024-01-18' }));
      expect(analysis.allAnomalies).toEqual([]);
      expect(analysis.allRecommendations.map((r) => r.rule)).not.toContain('cpa-spike');
    }
  });

  it('gives null previous totals and changes when the previous period has no data', () => {
    const analysis = analyseAdAccount(syntheticAnalysisInput(syntheticAccount('google', '9876543210'), { start: '2023-01-01', end: '2023-01-31' }));
    expect(analysis.summary.previousRange).toEqual({ start: '2022-12-01', end: '2022-12-31' });
    expect(analysis.summary.previousTotals).toBeNull();
    expect(Object.values(analysis.summary.change).every((c) => c.absolute === null && c.relative === null)).toBe(true);
    expect(analysis.allCampaigns.every((c) => c.previous === null)).toBe(true);
    expect(() => adAnalysisResultSchema.parse({ ...analysis.summary, report: null })).not.toThrow();
  });

  it('passes the result schema for a one-day range and for an account without any data', () => {
    const one = analyseAdAccount(syntheticAnalysisInput(syntheticAccount('meta', 'act_1234567890'), { start: '2024-01-09', end: '2024-01-09' }));
    expect(() => adAnalysisResultSchema.parse({ ...one.summary, report: null })).not.toThrow();
    expect(one.daily[0].dates).toEqual(['2024-01-09']);
    const range = { start: '2025-06-01', end: '2025-06-30' };
    const empty = analyseAdAccount({ account, campaigns: [], range, previousRange: previousPeriod(range), current: [], previous: [], hourly: [] });
    expect(() => adAnalysisResultSchema.parse({ ...empty.summary, report: null })).not.toThrow();
    expect(empty.summary.totals).toMatchObject({ costMicros: 0, ctr: null, cpaMicros: null, roas: null });
    expect(empty.daily).toHaveLength(1);
    expect(empty.daily[0].costMicros).toHaveLength(30);
  });

  it("reports the job's dateRange as asked, the analysedRange, and the notes bounded", () => {
    const range = { start: '2024-01-01', end: '2024-01-09' };
    const input = syntheticAnalysisInput(syntheticAccount('google', '1234567890'), range);
    const notes = ['Analysed up to 2024-01-09.', 'x'.repeat(MAX_RESULT_NOTE_CHARS + 10), ...Array.from({ length: MAX_RESULT_NOTES }, (_, i) => `note ${i}`)];
    const { summary } = analyseAdAccount({ ...input, requestedRange: { start: '2024-01-01', end: '2024-01-31' }, notes });
    expect(summary.dateRange).toEqual({ start: '2024-01-01', end: '2024-01-31' });
    expect(summary.analysedRange).toEqual(range);
    expect(summary.notes).toHaveLength(MAX_RESULT_NOTES);
    expect(summary.notes[0]).toBe('Analysed up to 2024-01-09.');
    expect(summary.notes[1]).toHaveLength(MAX_RESULT_NOTE_CHARS);
    expect(() => adAnalysisResultSchema.parse({ ...summary, report: null })).not.toThrow();
    expect(analyseAdAccount(input).summary).toMatchObject({ dateRange: range, analysedRange: range, notes: [] });
  });

  it('keeps the 50 costliest campaigns in the summary and counts the rest', () => {
    const range = { start: '2024-01-01', end: '2024-01-01' };
    const campaigns = Array.from({ length: 60 }, (_, i) => ({ campaignId: `c${String(i).padStart(2, '0')}`, name: `C${i}`, status: 'ENABLED', dailyBudgetMicros: null }));
    const current = campaigns.map((c, i) => row(c.campaignId, '2024-01-01', (i % 7) * 1_000_000 + i));
    const analysis = analyseAdAccount({ account, campaigns, range, previousRange: previousPeriod(range), current, previous: [], hourly: [] });
    expect(analysis.allCampaigns).toHaveLength(60);
    expect(analysis.summary.campaigns).toEqual(analysis.allCampaigns.slice(0, MAX_RESULT_CAMPAIGNS));
    expect(analysis.summary.campaignsOmitted).toBe(10);
    const costs = analysis.allCampaigns.map((c) => c.kpis.costMicros);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(analysis.summary.totals.costMicros).toBe(current.reduce((s, r) => s + r.costMicros, 0));
    expect(() => adAnalysisResultSchema.parse({ ...analysis.summary, report: null })).not.toThrow();
  });

  it('adds up rows for the same campaign and day, and keeps campaigns that are only in the rows', () => {
    const range = { start: '2024-01-01', end: '2024-01-02' };
    const campaigns = [{ campaignId: 'a', name: 'A', status: 'ENABLED', dailyBudgetMicros: null }];
    const analysis = analyseAdAccount({
      account, campaigns, range, previousRange: previousPeriod(range),
      current: [row('a', '2024-01-01', 10), row('a', '2024-01-01', 5), row('ghost', '2024-01-02', 7)],
      previous: [row('a', '2023-12-31', 3)],
      hourly: [],
    });
    expect(analysis.allCampaigns.map((c) => [c.campaignId, c.name, c.status, c.kpis.costMicros, c.previous?.costMicros ?? null])).toEqual([
      ['a', 'A', 'ENABLED', 15, 3],
      ['ghost', 'ghost', UNLISTED_CAMPAIGN_STATUS, 7, null],
    ]);
    expect(analysis.daily[0].costMicros).toEqual([15, 7]);
  });

  it('refuses a row outside its range', () => {
    const range = { start: '2024-01-01', end: '2024-01-31' };
    expect(() => analyseAdAccount({ account, campaigns: [], range, previousRange: previousPeriod(range), current: [row('a', '2024-02-01', 1)], previous: [], hourly: [] })).toThrow(/2024-02-01/);
    expect(() => analyseAdAccount({ account, campaigns: [], range, previousRange: previousPeriod(range), current: [], previous: [row('a', '2024-01-01', 1)], hourly: [] })).toThrow(RangeError);
  });
});
