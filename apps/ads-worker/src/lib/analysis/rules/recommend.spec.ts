import type { AdKpis } from '@jobs/queue-contracts';
import type { AdCampaignSummary } from '../ad-analysis';
import { kpiChanges } from '../kpi-changes';
import { kpisFromSums } from '../kpis-from-sums';
import { recommend } from './recommend';
import type { CampaignFacts, RecommendationContext } from './recommendation-rule';

const DAYS = Array.from({ length: 10 }, (_, i) => `2024-05-${String(i + 1).padStart(2, '0')}`);

function campaign(id: string, cost: number, conversions: number, opts: Partial<AdCampaignSummary> & { daily?: number[]; previousCost?: number } = {}): CampaignFacts {
  const kpis = kpisFromSums({ impressions: 1000, clicks: 100, costMicros: cost, conversions, conversionValueMicros: 0 });
  const { daily, previousCost, ...rest } = opts;
  return {
    summary: { campaignId: id, name: `Campaign ${id}`, status: 'ENABLED', kpis, previous: null, change: kpiChanges(kpis, null), budget: null, ...rest },
    dailyCostMicros: daily ?? DAYS.map(() => cost / DAYS.length),
    previousCostMicros: previousCost ?? 0,
  };
}

function context(campaigns: CampaignFacts[]): RecommendationContext {
  const sum = (k: keyof AdKpis) => campaigns.reduce((s, c) => s + (c.summary.kpis[k] as number), 0);
  return {
    currency: 'EUR',
    days: DAYS,
    previousDays: DAYS.length,
    account: kpisFromSums({ impressions: sum('impressions'), clicks: sum('clicks'), costMicros: sum('costMicros'), conversions: sum('conversions'), conversionValueMicros: 0 }),
    campaigns,
    anomalies: [],
  };
}

describe('recommendation rules', () => {
  it('high-cpa-large-spend: a fifth or more of the spend at 1.5× the account CPA or more', () => {
    // account: cost 1000, conversions 100 → CPA 10; "dear": 40 % of spend at CPA 40
    const recs = recommend(context([campaign('cheap', 600, 90), campaign('dear', 400, 10)]));
    expect(recs.map((r) => [r.rule, r.campaignId])).toEqual([['high-cpa-large-spend', 'dear']]);
    expect(recs[0].evidence).toEqual({ costMicros: 400, costShare: 0.4, campaignCpaMicros: 40, accountCpaMicros: 10, cpaRatio: 4 });
    // 15 % of spend: too small to matter
    expect(recommend(context([campaign('cheap', 850, 95), campaign('dear', 150, 5)]))).toEqual([]);
  });

  it('spend-without-conversions: 5 % or more of the spend and none, when the account converts', () => {
    const recs = recommend(context([campaign('works', 900, 90), campaign('none', 100, 0)]));
    expect(recs.map((r) => [r.rule, r.campaignId, r.evidence['costShare']])).toEqual([['spend-without-conversions', 'none', 0.1]]);
    expect(recommend(context([campaign('a', 900, 0), campaign('b', 100, 0)]))).toEqual([]);
    expect(recs[0]!.reason).toMatch(/^It took 10 % of the account's spend and 100 clicks but/);
    // One click in the singular.
    const once = campaign('once', 100, 0);
    const oneClick = { ...once, summary: { ...once.summary, kpis: { ...once.summary.kpis, clicks: 1 } } };
    expect(recommend(context([campaign('works', 900, 90), oneClick]))[0]!.reason).toMatch(/^It took 10 % of the account's spend and 1 click but/);
  });

  it('stopped-spending: only delivering campaigns, three quiet days or more at the end, after spending', () => {
    const quiet = [5, 5, 5, 5, 5, 5, 0, 0, 0, 0];
    const recs = recommend(context([campaign('s', 30, 3, { daily: quiet }), campaign('p', 30, 3, { daily: quiet, status: 'PAUSED' })]));
    expect(recs.map((r) => [r.rule, r.campaignId, r.evidence])).toEqual([
      ['stopped-spending', 's', { lastSpendDate: '2024-05-06', daysWithoutSpend: 4, averageDailyCostBeforeMicros: 5 }],
    ]);
    expect(recommend(context([campaign('s', 40, 4, { daily: [5, 5, 5, 5, 5, 5, 5, 5, 0, 0] })]))).toEqual([]);
    // spent nothing in the range, but did before it
    const before = recommend(context([campaign('gone', 0, 0, { daily: DAYS.map(() => 0), previousCost: 1000 }), campaign('other', 50, 5)]));
    expect(before.map((r) => [r.rule, r.campaignId, r.evidence])).toEqual([['stopped-spending', 'gone', { lastSpendDate: null, daysWithoutSpend: 10, averageDailyCostBeforeMicros: 100 }]]);
    // never spent at all
    expect(recommend(context([campaign('never', 0, 0, { daily: DAYS.map(() => 0) })]))).toEqual([]);
  });

  it('budget-limited: advice follows the CPA against the account', () => {
    const budget = { dailyBudgetMicros: 10, daysAtBudget: 5, medianExhaustedHour: 15, utilisation: 0.9 };
    const recs = recommend(context([campaign('capped', 90, 30, { budget }), campaign('other', 910, 70)]));
    expect(recs.map((r) => [r.rule, r.campaignId])).toEqual([['budget-limited', 'capped']]);
    expect(recs[0].title).toContain('by 15:00');
    expect(recs[0].reason).toContain('higher daily budget');
    const dear = recommend(context([campaign('capped', 90, 3, { budget }), campaign('other', 910, 97)]));
    expect(dear[0].reason).toContain('lower its bids');
    // two days at budget: not yet a pattern
    expect(recommend(context([campaign('capped', 90, 30, { budget: { ...budget, daysAtBudget: 2 } })]))).toEqual([]);
  });

  it('orders by the cost of the campaign concerned, then rule id', () => {
    const recs = recommend(context([campaign('small', 100, 0), campaign('big', 500, 2), campaign('mid', 400, 98)]));
    expect(recs.map((r) => [r.rule, r.campaignId])).toEqual([
      ['high-cpa-large-spend', 'big'],
      ['spend-without-conversions', 'small'],
    ]);
  });
});
