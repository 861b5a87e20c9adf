import { adAnalysisResultSchema, type AdPlatform, type JobData } from '@jobs/queue-contracts';
import { PermanentJobError, type Logger } from '@jobs/worker-kit';
import type { Job } from 'bullmq';
import { createAdAnalysisHandler } from './ad-analysis-handler';
import type { AdsPlatformClient, HourlyCampaignCost } from './lib/ads-data';
import { syntheticAccount, syntheticRows } from './lib/analysis/test-support/synthetic-analysis-input';

/** A client over a synthetic account whose data ends on 2024-12-31 (days after it are empty, as days to come are). */
function syntheticClient(platform: AdPlatform, accountId: string) {
  const account = syntheticAccount(platform, accountId);
  const calls: string[] = [];
  const client: AdsPlatformClient = {
    platform,
    getAccount: async () => {
      calls.push('account');
      return { platform, accountId, name: account.name, currency: account.currency, timeZone: account.timeZone };
    },
    listCampaigns: async () => account.campaigns.map((c) => ({ ...c })),
    getDailyMetrics: async (_ctx, range) => {
      calls.push(`daily ${range.start}..${range.end}`);
      return syntheticRows(account, range);
    },
    getHourlyCost: async (): Promise<HourlyCampaignCost[]> => [],
  };
  return { client, calls };
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;

async function run(platform: AdPlatform, accountId: string, start: string, end: string, now: string, asOfDate?: string) {
  const { client, calls } = syntheticClient(platform, accountId);
  const logged: string[] = [];
  const handler = createAdAnalysisHandler({ clientFor: () => client, publishReport: async () => null, now: () => new Date(now), asOfDate });
  const data = { userId: 'u', platform, accountId, dateRange: { start: new Date(start), end: new Date(end) } } as JobData<'AD_ANALYSIS'>;
  const job = { id: 'job-1', log: async (line: string) => void logged.push(line) } as unknown as Job;
  const result = handler({ job, data, log: silent, signal: new AbortController().signal, updateProgress: async () => undefined });
  return { result, calls, logged };
}

describe('AD_ANALYSIS handler: the days analysed', () => {
  it('cuts a range running into today at yesterday (account zone): no false stop in spending', async () => {
    // Clean account (New York); data ends 2024-12-31 like a day still to come would. Now is 2025-01-01 07:00 there.
    const { result, calls, logged } = await run('google', '9876543210', '2024-12-01', '2025-01-31', '2025-01-01T12:00:00Z');
    const summary = await result;
    expect(summary.dateRange).toEqual({ start: '2024-12-01', end: '2025-01-31' });
    expect(summary.analysedRange).toEqual({ start: '2024-12-01', end: '2024-12-31' });
    expect(summary.previousRange).toEqual({ start: '2024-10-31', end: '2024-11-30' });
    expect(calls).toEqual(['account', 'daily 2024-12-01..2024-12-31', 'daily 2024-10-31..2024-11-30']);
    expect(summary.notes).toEqual([expect.stringContaining('Analysed up to 2024-12-31')]);
    expect(logged).toEqual(summary.notes);
    expect(summary.recommendations.filter((r) => r.rule === 'stopped-spending')).toEqual([]);
    expect(summary.anomalies).toEqual([]);
    expect(() => adAnalysisResultSchema.parse(summary)).not.toThrow();
    // The same job with a clock a month later sees the empty January as a stop: the cut is what prevents it.
    const later = await (await run('google', '9876543210', '2024-12-01', '2025-01-31', '2025-02-15T12:00:00Z')).result;
    expect(later.recommendations.some((r) => r.rule === 'stopped-spending')).toBe(true);
  });

  it("cuts a Meta range at Meta's 37-month history and leaves out a previous period wholly older", async () => {
    const { result, calls } = await run('meta', 'act_1234567890', '2024-01-01', '2024-01-31', '2027-02-10T20:00:00Z');
    const summary = await result;
    expect(summary.analysedRange).toEqual({ start: '2024-01-11', end: '2024-01-31' });
    expect(summary.previousTotals).toBeNull();
    expect(calls).toEqual(['account', 'daily 2024-01-11..2024-01-31']);
    expect(summary.notes).toHaveLength(2);
    expect(() => adAnalysisResultSchema.parse(summary)).not.toThrow();
  });

  it('fails at once naming dateRange when no day of it is complete', async () => {
    const { result, calls } = await run('google', '1234567890', '2024-01-10', '2024-01-31', '2024-01-10T12:00:00Z');
    await expect(result).rejects.toThrow(PermanentJobError);
    await expect(result).rejects.toThrow(/^dateRange /);
    expect(calls).toEqual(['account']);
  });

  it('fails at once naming dateRange.start when a Meta range is wholly older than 37 months', async () => {
    const { result } = await run('meta', 'act_1234567890', '2023-01-01', '2023-12-31', '2027-02-10T20:00:00Z');
    await expect(result).rejects.toThrow(/^dateRange\.start \(2023-01-01\)/);
  });

  it('takes ADS_AS_OF_DATE as today whatever the clock: a Meta January-2024 job in mid-2027 keeps its previous period', async () => {
    const clock = '2027-06-15T12:00:00Z';
    const { result, calls } = await run('meta', 'act_1234567890', '2024-01-01', '2024-01-31', clock, '2025-06-30');
    const summary = await result;
    expect(summary.analysedRange).toEqual({ start: '2024-01-01', end: '2024-01-31' });
    expect(summary.previousRange).toEqual({ start: '2023-12-01', end: '2023-12-31' });
    expect(summary.previousTotals).not.toBeNull();
    expect(summary.notes).toEqual([]);
    expect(calls).toEqual(['account', 'daily 2024-01-01..2024-01-31', 'daily 2023-12-01..2023-12-31']);
    // Without it, the same clock puts January 2024 beyond Meta's 37 months.
    await expect((await run('meta', 'act_1234567890', '2024-01-01', '2024-01-31', clock)).result).rejects.toThrow(/^dateRange\.start/);
    // And an as-of day cuts a range running past it at the day before, as today would.
    const cut = await (await run('google', '1234567890', '2024-01-01', '2024-01-31', clock, '2024-01-20')).result;
    expect(cut.analysedRange).toEqual({ start: '2024-01-01', end: '2024-01-19' });
  });
});

describe('AD_ANALYSIS handler: a long range', () => {
  it('lists one stop in spending over two years as a handful of anomalies, not dozens (Meta act_1234567890, as of 2025-06-30)', async () => {
    const { result } = await run('meta', 'act_1234567890', '2023-01-01', '2024-12-31', '2027-06-15T12:00:00Z', '2025-06-30');
    const summary = await result;
    expect(summary.analysedRange).toEqual({ start: '2023-01-01', end: '2024-12-31' });
    expect(summary.anomalies.length).toBeLessThanOrEqual(10);
    // The account's cost fell when 'Retargeting – Cart' stopped on 2024-01-25: one anomaly to the end of the range.
    const accountCostDown = summary.anomalies.filter((a) => a.campaignId === null && a.metric === 'cost' && a.direction === 'down');
    expect(accountCostDown).toHaveLength(1);
    expect(accountCostDown[0]).toMatchObject({ endDate: '2024-12-31' });
    expect(accountCostDown[0].startDate >= '2024-01-25' && accountCostDown[0].startDate <= '2024-02-01').toBe(true);
    expect(summary.anomalies.filter((a) => a.campaignId === '23851000000000002' && a.metric === 'cost')).toEqual([
      expect.objectContaining({ direction: 'down', startDate: '2024-01-25', endDate: '2024-12-31', days: 342 }),
    ]);
  });
});
