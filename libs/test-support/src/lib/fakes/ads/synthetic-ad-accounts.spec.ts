import {
  SYNTHETIC_AD_ACCOUNTS,
  findSyntheticAdAccount,
  syntheticDay,
  syntheticHourlyCost,
  type SyntheticAdAccount,
} from './index';

function daysOf(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function account(platform: 'google' | 'meta', id: string): SyntheticAdAccount {
  const found = findSyntheticAdAccount(platform, id);
  if (!found) throw new Error(`no synthetic account ${platform} ${id}`);
  return found;
}

const january = daysOf('2024-01-01', '2024-01-31');

describe('synthetic ad accounts', () => {
  it('has the four accounts with their ids, currencies and zones', () => {
    expect(SYNTHETIC_AD_ACCOUNTS.map((a) => [a.platform, a.accountId, a.currency, a.timeZone, a.campaigns.length])).toEqual([
      ['google', '1234567890', 'EUR', 'Europe/Berlin', 4],
      ['google', '9876543210', 'USD', 'America/New_York', 3],
      ['meta', 'act_1234567890', 'USD', 'America/Los_Angeles', 4],
      ['meta', 'act_9876543210', 'EUR', 'Europe/Paris', 4],
    ]);
    expect(findSyntheticAdAccount('meta', '1234567890')).toBeUndefined();
    expect(account('google', '9876543210').campaigns.filter((c) => c.dailyBudgetMicros === null)).toHaveLength(1);
    expect(Object.isFrozen(SYNTHETIC_AD_ACCOUNTS[0].campaigns[0])).toBe(true);
  });

  it('is deterministic per (account, campaign, day), whatever was asked before', () => {
    const google = account('google', '1234567890');
    const first = syntheticDay(google, '21000000004', '2024-01-10');
    for (const day of daysOf('2023-06-01', '2023-06-30')) syntheticDay(google, '21000000004', day);
    expect(syntheticDay(google, '21000000004', '2024-01-10')).toEqual(first);
    expect(syntheticDay(google, '21000000004', '2024-01-11')).not.toEqual(first);
    expect(first.costMicros).toBeGreaterThan(0);
  });

  it('has zeros outside 2023-01-01..2024-12-31 and for unknown campaigns', () => {
    const google = account('google', '9876543210');
    const zero = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 };
    expect(syntheticDay(google, '22000000001', '2022-12-31')).toEqual(zero);
    expect(syntheticDay(google, '22000000001', '2025-01-01')).toEqual(zero);
    expect(syntheticDay(google, '99', '2024-01-01')).toEqual(zero);
    expect(syntheticDay(google, '22000000001', '2023-01-01').costMicros).toBeGreaterThan(0);
    expect(syntheticDay(google, '22000000001', '2024-12-31').costMicros).toBeGreaterThan(0);
    expect(() => syntheticDay(google, '22000000001', '2024-1-1')).toThrow(RangeError);
  });

  it('keeps money in whole cents, Meta conversions whole, Google conversions in halves', () => {
    for (const a of SYNTHETIC_AD_ACCOUNTS) {
      for (const c of a.campaigns) {
        for (const day of daysOf('2023-12-01', '2024-01-31')) {
          const row = syntheticDay(a, c.campaignId, day);
          expect(row.costMicros % 10_000).toBe(0);
          expect(row.conversionValueMicros % 10_000).toBe(0);
          expect(Number.isSafeInteger(row.impressions) && Number.isSafeInteger(row.clicks)).toBe(true);
          expect(row.conversions * (a.platform === 'meta' ? 1 : 2) % 1).toBe(0);
          expect(row.clicks).toBeLessThanOrEqual(row.impressions);
        }
      }
    }
  });

  it('shows the cpa spike: conversions divided by 3 on 2024-01-15..17, cost unchanged', () => {
    const google = account('google', '1234567890');
    const cpa = (day: string) => {
      const row = syntheticDay(google, '21000000001', day);
      return row.costMicros / row.conversions;
    };
    const ordinary = january.filter((d) => d < '2024-01-15' || d > '2024-01-17').map(cpa);
    const ordinaryMax = Math.max(...ordinary);
    for (const day of ['2024-01-15', '2024-01-16', '2024-01-17']) expect(cpa(day)).toBeGreaterThan(ordinaryMax * 2.5);
    const costs = january.map((d) => syntheticDay(google, '21000000001', d).costMicros);
    expect(Math.min(...costs)).toBeGreaterThan(Math.max(...costs) * 0.85);
  });

  it('shows the stopped campaign: activity until the day before, zeros from then on', () => {
    const meta = account('meta', 'act_1234567890');
    expect(syntheticDay(meta, '23851000000000002', '2024-01-24').costMicros).toBeGreaterThan(0);
    for (const day of daysOf('2024-01-25', '2024-03-01')) {
      expect(syntheticDay(meta, '23851000000000002', day)).toEqual({ impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0 });
    }
  });

  it('has the paused Meta campaign without impressions at all', () => {
    const meta = account('meta', 'act_9876543210');
    for (const day of january) expect(syntheticDay(meta, '23852000000000004', day).impressions).toBe(0);
  });

  it('spreads each day over 24 hours summing exactly to its cost', () => {
    for (const a of SYNTHETIC_AD_ACCOUNTS) {
      for (const c of a.campaigns) {
        for (const day of ['2023-12-31', '2024-01-15', '2024-01-25']) {
          const hours = syntheticHourlyCost(a, c.campaignId, day);
          expect(hours).toHaveLength(24);
          expect(hours.reduce((s, v) => s + v, 0)).toBe(syntheticDay(a, c.campaignId, day).costMicros);
          for (const v of hours) expect(v % 10_000 === 0 && v >= 0).toBe(true);
        }
      }
    }
  });

  it('exhausts the capped campaigns\' budget by 12:00 every day and spends nothing after', () => {
    for (const [platform, id, campaignId] of [
      ['google', '1234567890', '21000000003'],
      ['meta', 'act_1234567890', '23851000000000003'],
    ] as const) {
      const a = account(platform, id);
      const budget = a.campaigns.find((c) => c.campaignId === campaignId)?.dailyBudgetMicros;
      for (const day of daysOf('2023-12-01', '2024-01-31')) {
        expect(syntheticDay(a, campaignId, day).costMicros).toBe(budget);
        const hours = syntheticHourlyCost(a, campaignId, day);
        expect(hours.slice(12).every((v) => v === 0)).toBe(true);
        expect(hours[11]).toBeGreaterThan(0);
        expect(hours.slice(0, 11).reduce((s, v) => s + v, 0)).toBeLessThan((budget as number) * 0.95);
      }
    }
  });

  it('keeps the other campaigns well under their budgets', () => {
    for (const a of SYNTHETIC_AD_ACCOUNTS) {
      const capped = new Set(a.faults.filter((f) => f.kind === 'budget-exhausted-by-noon').map((f) => f.campaignId));
      for (const c of a.campaigns) {
        if (c.dailyBudgetMicros === null || capped.has(c.campaignId)) continue;
        for (const day of january) expect(syntheticDay(a, c.campaignId, day).costMicros).toBeLessThan(c.dailyBudgetMicros * 0.8);
      }
    }
  });
});
