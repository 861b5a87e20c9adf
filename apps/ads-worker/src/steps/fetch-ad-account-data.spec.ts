import { PermanentJobError } from '@jobs/worker-kit';
import type { AdsPlatformClient, AdsRequestContext, CampaignInfo, DailyCampaignMetrics, HourlyCampaignCost } from '../lib/ads-data';
import { fetchAdAccountData, MAX_HOURLY_DAYS } from './fetch-ad-account-data';
import { analysedRanges } from './analysed-ranges';
import { MAX_CAMPAIGN_DAYS } from './campaign-days-bound';
import { jobDayRange } from './job-day-ranges';

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

/** A fixed clock long after the synthetic 2023–2024 data. */
const NOW = new Date('2026-06-15T12:00:00Z');

/** The step's input for the job's days, planned with the fixed clock. */
function job(start: string, end: string, more: { campaignIds?: string[]; now?: Date } = {}) {
  const jobRange = jobDayRange({ start: new Date(start), end: new Date(end) });
  return { jobRange, plan: (account: Parameters<typeof analysedRanges>[1]) => analysedRanges(jobRange, account, more.now ?? NOW), campaignIds: more.campaignIds };
}

describe('jobDayRange', () => {
  it("takes the contract's UTC-midnight dates as the account's days", () => {
    expect(jobDayRange({ start: new Date('2024-03-01'), end: new Date('2024-03-31') })).toEqual({ start: '2024-03-01', end: '2024-03-31' });
  });
});

describe('fetchAdAccountData', () => {
  beforeEach(() => phases.splice(0));

  it('asks in order, and for hourly cost only on the capped days of capped campaigns', async () => {
    const rows = [day('1', '2024-01-01', 99_000_000), day('1', '2024-01-02', 10_000_000), day('2', '2024-01-01', 500_000_000), day('1', '2023-12-31', 100_000_000)];
    const { client, calls } = recordingClient(rows);
    const data = await fetchAdAccountData({ client, ctx, ...job('2024-01-01', '2024-01-02'), onPhase });
    expect(calls).toEqual(['account', 'campaigns all', 'daily 2024-01-01..2024-01-02 all', 'daily 2023-12-30..2023-12-31 all', 'hourly 1 days 1']);
    expect(data.hourly).toEqual([{ campaignId: '1', date: '2024-01-01', hour: 9, costMicros: 1 }]);
    expect(data.previous).toHaveLength(1);
    expect(data).toMatchObject({ requestedRange: { start: '2024-01-01', end: '2024-01-02' }, range: { start: '2024-01-01', end: '2024-01-02' }, notes: [] });
    expect(phases).toEqual(['account', 'campaigns', 'current-period', 'previous-period', 'hourly-cost']);
  });

  it('asks no hourly cost when no day was capped', async () => {
    const { client, calls } = recordingClient([day('1', '2024-01-01', 1)]);
    expect((await fetchAdAccountData({ client, ctx, ...job('2024-01-01', '2024-01-01'), onPhase })).hourly).toEqual([]);
    expect(calls.some((c) => c.startsWith('hourly'))).toBe(false);
  });

  it(`asks hourly cost only for capped days within the last ${MAX_HOURLY_DAYS} calendar days of the range`, async () => {
    // Capped on the first 10 days and the last 5 of a 400-day range: the early ones are out.
    const dates = Array.from({ length: 400 }, (_, i) => new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10));
    const capped = [...dates.slice(0, 10), ...dates.slice(-5)];
    const { client, calls } = recordingClient(capped.map((d) => day('1', d, 100_000_000)));
    const data = await fetchAdAccountData({ client, ctx, ...job(dates[0], `${dates.at(-1)}`), onPhase });
    expect(calls.at(-1)).toBe('hourly 5 days 1');
    expect(data.hourly.map((h) => h.date)).toEqual(dates.slice(-5));
    // Every day capped: the span asked is exactly the last MAX_HOURLY_DAYS days.
    const every = recordingClient(dates.map((d) => day('1', d, 100_000_000)));
    const all = await fetchAdAccountData({ client: every.client, ctx, ...job(dates[0], `${dates.at(-1)}`), onPhase });
    expect(every.calls.at(-1)).toBe(`hourly ${MAX_HOURLY_DAYS} days 1`);
    expect(all.hourly[0]?.date).toBe(dates[400 - MAX_HOURLY_DAYS]);
  });

  it("asks only for the job's campaigns and notes the ids not found; none found fails naming campaignIds, asking for no rows", async () => {
    const { client, calls } = recordingClient([day('1', '2024-01-01', 1), day('2', '2024-01-01', 1)]);
    const data = await fetchAdAccountData({ client, ctx, ...job('2024-01-01', '2024-01-01', { campaignIds: ['2', '9'] }), onPhase });
    expect(data.current.map((r) => r.campaignId)).toEqual(['2']);
    expect(calls).toContain('daily 2024-01-01..2024-01-01 2');
    expect(data.notes).toEqual(['1 of the campaigns named in campaignIds is not in this ad account and was left out: 9.']);
    calls.splice(0);
    const none = fetchAdAccountData({ client, ctx, ...job('2024-01-01', '2024-01-01', { campaignIds: ['9', '8'] }), onPhase });
    await expect(none).rejects.toThrow(PermanentJobError);
    await expect(none).rejects.toThrow(/^campaignIds: no campaign named is in this ad account \(9, 8\)/);
    expect(calls).toEqual(['account', 'campaigns 9,8']);
  });

  it('cuts the range at yesterday in the account time zone, and the previous period to its length', async () => {
    const { client, calls } = recordingClient([]);
    // 2024-01-10T22:30Z is already 2024-01-10 23:30 in Berlin: yesterday is 2024-01-09.
    const data = await fetchAdAccountData({ client, ctx, ...job('2024-01-01', '2024-01-31', { now: new Date('2024-01-10T22:30:00Z') }), onPhase });
    expect(data.range).toEqual({ start: '2024-01-01', end: '2024-01-09' });
    expect(data.requestedRange).toEqual({ start: '2024-01-01', end: '2024-01-31' });
    expect(data.previousRange).toEqual({ start: '2023-12-23', end: '2023-12-31' });
    expect(calls).toContain('daily 2024-01-01..2024-01-09 all');
    expect(data.notes).toEqual([expect.stringContaining('up to 2024-01-09')]);
  });

  it('replaces the "previous period was cut" note when that period then has no data: nothing is compared', async () => {
    const cut = 'The previous period was cut to 2023-12-20..2023-12-31 (12 of 31 days: …), so changes compare totals over fewer days.';
    const plan = () => ({
      range: { start: '2024-01-01', end: '2024-01-31' },
      previousRange: { start: '2023-12-20', end: '2023-12-31' },
      previousFetched: true,
      notes: ['Analysed from 2024-01-01: …', cut],
      previousCutNote: cut,
    });
    const jobRange = { start: '2024-01-01', end: '2024-01-31' };
    const empty = await fetchAdAccountData({ client: recordingClient([day('1', '2024-01-05', 1)]).client, ctx, jobRange, plan, onPhase });
    expect(empty.notes).toEqual(['Analysed from 2024-01-01: …', 'No comparison with the previous period (2023-12-20..2023-12-31): the platform has no data for it.']);
    const withData = await fetchAdAccountData({ client: recordingClient([day('1', '2023-12-24', 1)]).client, ctx, jobRange, plan, onPhase });
    expect(withData.notes).toEqual(['Analysed from 2024-01-01: …', cut]);
  });

  it('refuses a range with no complete day, naming dateRange, before asking for campaigns', async () => {
    const { client, calls } = recordingClient([]);
    const running = fetchAdAccountData({ client, ctx, ...job('2024-01-10', '2024-01-31', { now: new Date('2024-01-10T08:00:00Z') }), onPhase });
    await expect(running).rejects.toThrow(PermanentJobError);
    await expect(running).rejects.toThrow(/^dateRange .*today is 2024-01-10/);
    expect(calls).toEqual(['account']);
  });

  it(`refuses more than ${MAX_CAMPAIGN_DAYS} campaign-days naming dateRange and campaignIds, before fetching rows`, async () => {
    const many = Array.from({ length: 600 }, (_, i): CampaignInfo => ({ campaignId: String(i + 1), name: `c${i}`, status: 'ENABLED', dailyBudgetMicros: null }));
    const { client, calls } = recordingClient([]);
    const big: AdsPlatformClient = { ...client, listCampaigns: async () => many };
    const running = fetchAdAccountData({ client: big, ctx, ...job('2023-01-01', '2024-12-31'), onPhase });
    await expect(running).rejects.toThrow(PermanentJobError);
    await expect(running).rejects.toThrow(/600 campaigns × 731 days.*dateRange to at most 333 days.*at most 273 campaigns in campaignIds/);
    expect(calls.some((c) => c.startsWith('daily'))).toBe(false);
  });

  it('counts campaigns seen only in the rows against the bound', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => day(`x${i}`, '2024-01-01', 1));
    const { client, calls } = recordingClient(rows);
    const running = fetchAdAccountData({ client, ctx, ...job('2022-01-01', '2024-12-31'), onPhase });
    await expect(running).rejects.toThrow(/302 campaigns × 1096 days/);
    expect(calls.filter((c) => c.startsWith('daily'))).toHaveLength(1);
  });
});
