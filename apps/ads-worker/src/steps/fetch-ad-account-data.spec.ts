import type { AdsPlatformClient, AdsRequestContext, CampaignInfo, DailyCampaignMetrics, HourlyCampaignCost } from '../lib/ads-data';
import { fetchAdAccountData, MAX_HOURLY_DAYS } from './fetch-ad-account-data';
import { jobDayRanges } from './job-day-ranges';

const CAMPAIGNS: CampaignInfo[] = [
  { campaignId: '1', name: 'capped', status: 'ENABLED', dailyBudgetMicros: 100_000_000 },
  { campaignId: '2', name: 'free', status: 'ENABLED', dailyBudgetMicros: null },
];

function day(campaignId: string, date: string, costMicros: number): DailyCampaignMetrics {
  return { campaignId, date, impressions: 100, clicks: 10, costMicros, conversions: 1, conversionValueMicros: 0 };
}

/** A client over fixed rows that records what it was asked. */
function recordingClient(rows: DailyCampaignMetrics[]) {
  const calls: string[] = [];
  const client: AdsPlatformClient = {
    platform: 'google',
    getAccount: async () => {
      calls.push('account');
      return { platform: 'google', accountId: '1234567890', name: 'A', currency: 'EUR', timeZone: 'Europe/Berlin' };
    },
    listCampaigns: async (_ctx, ids) => {
      calls.push(`campaigns ${ids?.join(',') ?? 'all'}`);
      return CAMPAIGNS.filter((c) => !ids || ids.includes(c.campaignId));
    },
    getDailyMetrics: async (_ctx, range, ids) => {
      calls.push(`daily ${range.start}..${range.end} ${ids?.join(',') ?? 'all'}`);
      return rows.filter((r) => r.date >= range.start && r.date <= range.end && (!ids || ids.includes(r.campaignId)));
    },
    getHourlyCost: async (_ctx, days, ids) => {
      calls.push(`hourly ${days.length} days ${ids.join(',')}`);
      return days.flatMap((date) => ids.flatMap((campaignId): HourlyCampaignCost[] => [{ campaignId, date, hour: 9, costMicros: 1 }]));
    },
  };
  return { client, calls };
}

const ctx: AdsRequestContext = { userId: 'u', accountId: 'a', signal: new AbortController().signal };
const phases: string[] = [];
const onPhase = async (phase: string) => void phases.push(phase);

describe('jobDayRanges', () => {
  it("takes the contract's UTC-midnight dates as the account's days, and the period before", () => {
    expect(jobDayRanges({ start: new Date('2024-03-01'), end: new Date('2024-03-31') })).toEqual({
      range: { start: '2024-03-01', end: '2024-03-31' },
      previousRange: { start: '2024-01-30', end: '2024-02-29' },
    });
  });
});

describe('fetchAdAccountData', () => {
  beforeEach(() => phases.splice(0));

  it('asks in order, and for hourly cost only on the capped days of capped campaigns', async () => {
    const rows = [day('1', '2024-01-01', 99_000_000), day('1', '2024-01-02', 10_000_000), day('2', '2024-01-01', 500_000_000), day('1', '2023-12-31', 100_000_000)];
    const { client, calls } = recordingClient(rows);
    const { range, previousRange } = jobDayRanges({ start: new Date('2024-01-01'), end: new Date('2024-01-02') });
    const data = await fetchAdAccountData({ client, ctx, range, previousRange, onPhase });
    expect(calls).toEqual(['account', 'campaigns all', 'daily 2024-01-01..2024-01-02 all', 'daily 2023-12-30..2023-12-31 all', 'hourly 1 days 1']);
    expect(data.hourly).toEqual([{ campaignId: '1', date: '2024-01-01', hour: 9, costMicros: 1 }]);
    expect(data.previous).toHaveLength(1);
    expect(phases).toEqual(['account', 'campaigns', 'current-period', 'previous-period', 'hourly-cost']);
  });

  it('asks no hourly cost when no day was capped', async () => {
    const { client, calls } = recordingClient([day('1', '2024-01-01', 1)]);
    const { range, previousRange } = jobDayRanges({ start: new Date('2024-01-01'), end: new Date('2024-01-01') });
    expect((await fetchAdAccountData({ client, ctx, range, previousRange, onPhase })).hourly).toEqual([]);
    expect(calls.some((c) => c.startsWith('hourly'))).toBe(false);
  });

  it(`keeps hourly requests to the latest ${MAX_HOURLY_DAYS} capped days`, async () => {
    const dates = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    const { client, calls } = recordingClient(dates.map((d) => day('1', d, 100_000_000)));
    const { range, previousRange } = jobDayRanges({ start: new Date('2024-01-01'), end: new Date(`${dates.at(-1)}`) });
    const data = await fetchAdAccountData({ client, ctx, range, previousRange, onPhase });
    expect(calls.at(-1)).toBe(`hourly ${MAX_HOURLY_DAYS} days 1`);
    expect(data.hourly[0]?.date).toBe(dates[120 - MAX_HOURLY_DAYS]);
  });

  it("asks only for the job's campaigns, and for no rows when none of them exists", async () => {
    const { client, calls } = recordingClient([day('1', '2024-01-01', 1), day('2', '2024-01-01', 1)]);
    const { range, previousRange } = jobDayRanges({ start: new Date('2024-01-01'), end: new Date('2024-01-01') });
    const data = await fetchAdAccountData({ client, ctx, range, previousRange, campaignIds: ['2', '9'], onPhase });
    expect(data.current.map((r) => r.campaignId)).toEqual(['2']);
    expect(calls).toContain('daily 2024-01-01..2024-01-01 2');
    calls.splice(0);
    const none = await fetchAdAccountData({ client, ctx, range, previousRange, campaignIds: ['9'], onPhase });
    expect(none).toMatchObject({ campaigns: [], current: [], previous: [], hourly: [] });
    expect(calls).toEqual(['account', 'campaigns 9']);
  });
});
