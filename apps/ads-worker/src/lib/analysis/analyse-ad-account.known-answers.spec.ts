// Known-answer tests: the analysis of the synthetic accounts against values this test computes
// on its own from syntheticDay (sums, divisions, medians), and the faults it must find.
import { adAnalysisResultSchema, AD_KPI_NAMES, type AdKpis } from '@jobs/queue-contracts';
import { SYNTHETIC_AD_ACCOUNTS, syntheticDay, type SyntheticAdAccount, type SyntheticFault } from '@jobs/test-support';
import { median } from 'simple-statistics';
import { analyseAdAccount } from './analyse-ad-account';
import { syntheticAccount, syntheticAnalysisInput } from './test-support/synthetic-analysis-input';

const JANUARY = { start: '2024-01-01', end: '2024-01-31' };
const DECEMBER = { start: '2023-12-01', end: '2023-12-31' };

function days(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

interface Sums { impressions: number; clicks: number; cost: number; conversions: number; value: number }

function sums(account: SyntheticAdAccount, campaignIds: readonly string[], dayList: readonly string[]): Sums {
  const s: Sums = { impressions: 0, clicks: 0, cost: 0, conversions: 0, value: 0 };
  for (const id of campaignIds) {
    for (const day of dayList) {
      const d = syntheticDay(account, id, day);
      s.impressions += d.impressions;
      s.clicks += d.clicks;
      s.cost += d.costMicros;
      s.conversions += d.conversions;
      s.value += d.conversionValueMicros;
    }
  }
  return s;
}

function kpis(s: Sums): AdKpis {
  return {
    impressions: s.impressions,
    clicks: s.clicks,
    costMicros: s.cost,
    conversions: s.conversions,
    conversionValueMicros: s.value,
    ctr: s.impressions === 0 ? null : s.clicks / s.impressions,
    cpcMicros: s.clicks === 0 ? null : s.cost / s.clicks,
    cpmMicros: s.impressions === 0 ? null : (s.cost * 1000) / s.impressions,
    cvr: s.clicks === 0 ? null : s.conversions / s.clicks,
    cpaMicros: s.conversions === 0 ? null : s.cost / s.conversions,
    roas: s.cost === 0 ? null : s.value / s.cost,
  };
}

/** Equal to the micro (money) or to 1e-12 relative (ratios); null only when null is expected. */
function expectSame(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    expect([what, actual]).toEqual([what, expected]);
    return;
  }
  if (Math.abs(actual - expected) > 1e-12 * Math.max(1, Math.abs(expected))) expect([what, actual]).toEqual([what, expected]);
}

function expectKpis(actual: AdKpis, expected: AdKpis, what: string): void {
  for (const key of ['impressions', 'clicks', 'costMicros', 'conversionValueMicros'] as const) expect([what, key, actual[key]]).toEqual([what, key, expected[key]]);
  for (const name of AD_KPI_NAMES) expectSame(actual[name], expected[name], `${what} ${name}`);
}

function expectChange(actual: Record<string, { absolute: number | null; relative: number | null }>, now: AdKpis, before: AdKpis | null, what: string): void {
  for (const name of AD_KPI_NAMES) {
    const a = now[name];
    const b = before === null ? null : before[name];
    const absolute = a === null || b === null ? null : a - b;
    const relative = absolute === null || b === 0 || b === null ? null : absolute / b;
    expectSame(actual[name].absolute, absolute, `${what} change ${name} absolute`);
    expectSame(actual[name].relative, relative, `${what} change ${name} relative`);
  }
}

const idsOf = (account: SyntheticAdAccount) => account.campaigns.map((c) => c.campaignId);
const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The anomalies each fault causes in January 2024: in its campaign, and in the account (each faulty campaign carries a quarter or more of the account's cost and conversions). */
function anomaliesOfFault(fault: SyntheticFault): [string | null, string, string, string, string, number][] {
  if (fault.kind === 'cpa-spike') {
    const end = addDay(fault.startDate, fault.days - 1);
    return [fault.campaignId, null].flatMap((id) => [
      [id, 'cpa', 'up', fault.startDate, end, fault.days],
      [id, 'conversions', 'down', fault.startDate, end, fault.days],
    ] as [string | null, string, string, string, string, number][]);
  }
  if (fault.kind === 'stopped-spending') {
    const n = days(fault.fromDate, JANUARY.end).length;
    return [fault.campaignId, null].flatMap((id) => [
      [id, 'cost', 'down', fault.fromDate, JANUARY.end, n],
      [id, 'conversions', 'down', fault.fromDate, JANUARY.end, n],
    ] as [string | null, string, string, string, string, number][]);
  }
  return []; // a budget spent every day is a flat series: pacing, not an anomaly
}

const sortTuples = <T extends unknown[]>(list: T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('analyseAdAccount on the synthetic accounts, January 2024 against December 2023', () => {
  for (const account of SYNTHETIC_AD_ACCOUNTS) {
    describe(`${account.platform} ${account.accountId}`, () => {
      const analysis = analyseAdAccount(syntheticAnalysisInput(account, JANUARY));
      const jan = days(JANUARY.start, JANUARY.end);
      const dec = days(DECEMBER.start, DECEMBER.end);

      it('passes the result schema (with a null report) and names the account and ranges', () => {
        expect(() => adAnalysisResultSchema.parse({ ...analysis.summary, report: null })).not.toThrow();
        expect(analysis.summary).toMatchObject({
          platform: account.platform,
          accountId: account.accountId,
          accountName: account.name,
          currency: account.currency,
          timeZone: account.timeZone,
          dateRange: JANUARY,
          previousRange: DECEMBER,
          campaignsOmitted: 0,
        });
        expect(JSON.stringify(analysis)).not.toMatch(/NaN|Infinity/);
      });

      it('has the account totals, previous totals and change the test computes', () => {
        const now = kpis(sums(account, idsOf(account), jan));
        const before = kpis(sums(account, idsOf(account), dec));
        expectKpis(analysis.summary.totals, now, 'totals');
        expect(analysis.summary.previousTotals).not.toBeNull();
        expectKpis(analysis.summary.previousTotals as AdKpis, before, 'previousTotals');
        expectChange(analysis.summary.change, now, before, 'account');
      });

      it('has every campaign with its KPIs, previous KPIs and change, by cost', () => {
        expect(analysis.allCampaigns.map((c) => c.campaignId).sort()).toEqual(idsOf(account).sort());
        const costs = analysis.allCampaigns.map((c) => c.kpis.costMicros);
        expect(costs).toEqual([...costs].sort((a, b) => b - a));
        for (const c of account.campaigns) {
          const line = analysis.allCampaigns.find((l) => l.campaignId === c.campaignId);
          const now = kpis(sums(account, [c.campaignId], jan));
          const beforeSums = sums(account, [c.campaignId], dec);
          const hadRows = dec.some((d) => {
            const r = syntheticDay(account, c.campaignId, d);
            return r.impressions > 0 || r.clicks > 0 || r.costMicros > 0;
          });
          const before = hadRows ? kpis(beforeSums) : null;
          expect(line).toMatchObject({ name: c.name, status: c.status });
          expectKpis(line!.kpis, now, c.campaignId);
          if (before === null) expect(line!.previous).toBeNull();
          else expectKpis(line!.previous as AdKpis, before, `${c.campaignId} previous`);
          expectChange(line!.change, now, before, c.campaignId);
        }
      });

      it('has budget pacing for the campaigns with a daily budget', () => {
        const capped = new Set(account.faults.filter((f) => f.kind === 'budget-exhausted-by-noon').map((f) => f.campaignId));
        for (const c of account.campaigns) {
          const line = analysis.allCampaigns.find((l) => l.campaignId === c.campaignId)!;
          if (c.dailyBudgetMicros === null) {
            expect(line.budget).toBeNull();
            continue;
          }
          const cost = jan.map((d) => syntheticDay(account, c.campaignId, d).costMicros);
          const atBudget = cost.filter((x) => x >= c.dailyBudgetMicros! * 0.95).length;
          expect(line.budget).toMatchObject({ dailyBudgetMicros: c.dailyBudgetMicros, daysAtBudget: atBudget });
          expectSame(line.budget!.utilisation, cost.reduce((s, x) => s + x, 0) / (c.dailyBudgetMicros * jan.length), 'utilisation');
          expect(line.budget!.medianExhaustedHour).toBe(capped.has(c.campaignId) ? 12 : null);
          expect(atBudget).toBe(capped.has(c.campaignId) ? 31 : 0);
        }
      });

      it('has daily series with one entry per day, zeros where there were no rows', () => {
        expect(analysis.daily.map((s) => s.campaignId)).toEqual([null, ...analysis.allCampaigns.map((c) => c.campaignId)]);
        for (const series of analysis.daily) {
          const ids = series.campaignId === null ? idsOf(account) : [series.campaignId];
          expect(series.dates).toEqual(jan);
          expect(series.costMicros).toEqual(jan.map((d) => sums(account, ids, [d]).cost));
          expect(series.conversions).toEqual(jan.map((d) => sums(account, ids, [d]).conversions));
          series.cpaMicros.forEach((cpa, i) => expectSame(cpa, kpis(sums(account, ids, [jan[i]])).cpaMicros, `${series.campaignId} cpa ${jan[i]}`));
        }
      });

      it('reports exactly the anomalies of the injected faults, with their medians and extremes', () => {
        const expected = account.faults.flatMap(anomaliesOfFault);
        expect(sortTuples(analysis.allAnomalies.map((a) => [a.campaignId, a.metric, a.direction, a.startDate, a.endDate, a.days]))).toEqual(sortTuples(expected));
        for (const a of analysis.allAnomalies) {
          const ids = a.campaignId === null ? idsOf(account) : [a.campaignId];
          const values = jan.flatMap((d) => {
            const s = sums(account, ids, [d]);
            if (a.metric === 'cost') return [s.cost];
            if (a.metric === 'conversions') return [s.conversions];
            return s.conversions === 0 ? [] : [s.cost / s.conversions];
          });
          const center = median(values);
          expectSame(a.expected, center, 'expected');
          const run = days(a.startDate, a.endDate).map((d) => {
            const s = sums(account, ids, [d]);
            return a.metric === 'cost' ? s.cost : a.metric === 'conversions' ? s.conversions : s.cost / s.conversions;
          });
          const furthest = run.reduce((best, x) => (Math.abs(x - center) > Math.abs(best - center) ? x : best));
          expectSame(a.observed, furthest, 'observed');
          expect(a.score).toBeGreaterThan(3.5);
        }
        const scores = analysis.allAnomalies.map((a) => a.score);
        expect(scores).toEqual([...scores].sort((x, y) => y - x));
        expect(analysis.summary.anomalies).toEqual(analysis.allAnomalies);
      });

      it('recommends exactly for the injected faults, with the numbers behind each', () => {
        const expected = account.faults.map((f) => [{ 'cpa-spike': 'cpa-spike', 'stopped-spending': 'stopped-spending', 'budget-exhausted-by-noon': 'budget-limited' }[f.kind], f.campaignId]);
        expect(sortTuples(analysis.allRecommendations.map((r) => [r.rule, r.campaignId]))).toEqual(sortTuples(expected));
        for (const fault of account.faults) {
          if (fault.kind === 'cpa-spike') {
            const rec = analysis.allRecommendations.find((r) => r.rule === 'cpa-spike')!;
            expect(rec.evidence).toMatchObject({ startDate: fault.startDate, endDate: addDay(fault.startDate, fault.days - 1), days: fault.days });
            expect(rec.evidence['factor']).toBeGreaterThan(fault.factor * 0.85);
            expect(rec.evidence['factor']).toBeLessThan(fault.factor * 1.15);
          } else if (fault.kind === 'stopped-spending') {
            const before = days(JANUARY.start, addDay(fault.fromDate, -1));
            const rec = analysis.allRecommendations.find((r) => r.rule === 'stopped-spending')!;
            expect(rec.evidence).toEqual({
              lastSpendDate: addDay(fault.fromDate, -1),
              daysWithoutSpend: days(fault.fromDate, JANUARY.end).length,
              averageDailyCostBeforeMicros: Math.round(sums(account, [fault.campaignId], before).cost / before.length),
            });
          } else {
            const c = account.campaigns.find((x) => x.campaignId === fault.campaignId)!;
            const rec = analysis.allRecommendations.find((r) => r.rule === 'budget-limited')!;
            const campaignSums = sums(account, [c.campaignId], jan);
            const accountSums = sums(account, idsOf(account), jan);
            expect(rec.evidence).toMatchObject({ dailyBudgetMicros: c.dailyBudgetMicros, daysAtBudget: 31, daysWithSpend: 31, medianExhaustedHour: fault.hour, utilisation: 1 });
            expectSame(rec.evidence['campaignCpaMicros'] as number, campaignSums.cost / campaignSums.conversions, 'campaign cpa');
            expectSame(rec.evidence['accountCpaMicros'] as number, accountSums.cost / accountSums.conversions, 'account cpa');
          }
        }
        for (const r of analysis.allRecommendations) expect(r.title.length > 0 && r.reason.length > 0).toBe(true);
        expect(analysis.summary.recommendations).toEqual(analysis.allRecommendations);
      });
    });
  }

  it('gives null ratios for the campaign without impressions, and no previous KPIs', () => {
    const analysis = analyseAdAccount(syntheticAnalysisInput(syntheticAccount('meta', 'act_9876543210'), JANUARY));
    const idle = analysis.allCampaigns.find((c) => c.campaignId === '23852000000000004')!;
    expect(idle.kpis).toEqual({
      impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0,
      ctr: null, cpcMicros: null, cpmMicros: null, cvr: null, cpaMicros: null, roas: null,
    });
    expect(idle.previous).toBeNull();
    for (const name of AD_KPI_NAMES) expect(idle.change[name]).toEqual({ absolute: null, relative: null });
    expect(idle.budget).toEqual({ dailyBudgetMicros: 100_000_000, daysAtBudget: 0, medianExhaustedHour: null, utilisation: 0 });
    expect(analysis.daily.find((s) => s.campaignId === '23852000000000004')!.cpaMicros.every((x) => x === null)).toBe(true);
  });
});
