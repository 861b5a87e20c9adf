import { budgetCappedDays, budgetExhaustedHour, budgetPacing } from './budget-pacing';

const row = (campaignId: string, date: string, costMicros: number) => ({ campaignId, date, impressions: 1, clicks: 0, costMicros, conversions: 0, conversionValueMicros: 0 });
const hours = (campaignId: string, date: string, costs: number[]) => costs.map((costMicros, hour) => ({ campaignId, date, hour, costMicros }));

describe('budgetCappedDays', () => {
  it('names the days whose cost reached 95 % of the budget, by campaign then day', () => {
    const campaigns = [
      { campaignId: 'b', name: 'B', status: 'ENABLED', dailyBudgetMicros: 100 },
      { campaignId: 'a', name: 'A', status: 'ENABLED', dailyBudgetMicros: 100 },
      { campaignId: 'n', name: 'N', status: 'ENABLED', dailyBudgetMicros: null },
      { campaignId: 'z', name: 'Z', status: 'ENABLED', dailyBudgetMicros: 0 },
    ];
    const rows = [row('a', '2024-01-02', 95), row('a', '2024-01-01', 94), row('b', '2024-01-03', 60), row('b', '2024-01-03', 40), row('n', '2024-01-01', 1e9), row('z', '2024-01-01', 5)];
    expect(budgetCappedDays(campaigns, rows, { start: '2024-01-01', end: '2024-01-31' })).toEqual([
      { campaignId: 'a', date: '2024-01-02' },
      { campaignId: 'b', date: '2024-01-03' },
    ]);
  });

  it('refuses rows outside the range', () => {
    expect(() => budgetCappedDays([], [row('a', '2024-02-01', 1)], { start: '2024-01-01', end: '2024-01-31' })).toThrow(RangeError);
  });
});

describe('budgetExhaustedHour', () => {
  it('is the clock hour by which 95 % of the budget was spent', () => {
    const twelve = [...Array.from({ length: 12 }, () => 10), ...Array.from({ length: 12 }, () => 0)];
    expect(budgetExhaustedHour(120, hours('a', 'd', twelve))).toBe(12);
    expect(budgetExhaustedHour(100, hours('a', 'd', [95]))).toBe(1);
    expect(budgetExhaustedHour(1000, hours('a', 'd', twelve))).toBeNull();
  });
});

describe('budgetPacing', () => {
  it('counts days at budget, takes the median hour over capped days with hours, and the utilisation', () => {
    const daily = [
      { date: 'd1', costMicros: 100 },
      { date: 'd2', costMicros: 100 },
      { date: 'd3', costMicros: 50 },
      { date: 'd4', costMicros: 96 },
    ];
    const byDay = new Map([
      ['d1', hours('a', 'd1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 100])],
      ['d2', hours('a', 'd2', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100])],
      ['d3', hours('a', 'd3', [50])],
    ]);
    expect(budgetPacing(100, daily.map((d) => d.date), daily.map((d) => d.costMicros), byDay)).toEqual({ dailyBudgetMicros: 100, daysAtBudget: 3, medianExhaustedHour: 12, utilisation: 346 / 400 });
    expect(budgetPacing(100, daily.map((d) => d.date), daily.map((d) => d.costMicros), new Map())).toMatchObject({ daysAtBudget: 3, medianExhaustedHour: null });
    expect(budgetPacing(0, daily.map((d) => d.date), daily.map((d) => d.costMicros), byDay)).toEqual({ dailyBudgetMicros: 0, daysAtBudget: 0, medianExhaustedHour: null, utilisation: null });
  });
});
