import { Redis } from 'ioredis';
import {
  deletePrefix,
  findSyntheticAdAccount,
  startFakeMetaGraphServer,
  syntheticDay,
  syntheticHourlyCost,
  testRedisUrl,
  uniquePrefix,
  type FakeMetaGraphServer,
  type FakeMetaGraphServerOptions,
} from '@jobs/test-support';
import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import type { AdAccountCredentials, AdAccountGrant } from '../ad-account-credentials';
import type { AdsRequestContext, DailyCampaignMetrics, DayRange } from '../ads-data';
import { createMetaAdsClient, type MetaAdsClientConfig } from './meta-ads-client';

const FAULTY = 'act_1234567890';
const CLEAN = 'act_9876543210';
const JANUARY: DayRange = { start: '2024-01-01', end: '2024-01-31' };

/** The rows the Meta client should return, computed here from the synthetic generator alone. */
function expectedDaily(accountId: string, range: DayRange, campaignIds?: readonly string[]): DailyCampaignMetrics[] {
  const account = findSyntheticAdAccount('meta', accountId)!;
  const rows: DailyCampaignMetrics[] = [];
  for (let t = Date.parse(`${range.start}T00:00:00Z`); t <= Date.parse(`${range.end}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    for (const c of account.campaigns) {
      if (campaignIds && !campaignIds.includes(c.campaignId)) continue;
      const d = syntheticDay(account, c.campaignId, date);
      if (d.impressions === 0 && d.clicks === 0 && d.costMicros === 0) continue;
      rows.push({ campaignId: c.campaignId, date, impressions: d.impressions, clicks: d.clicks, costMicros: d.costMicros, conversions: d.conversions, conversionValueMicros: d.conversionValueMicros });
    }
  }
  return rows;
}

const byKey = (rows: readonly { campaignId: string; date: string; hour?: number }[]) =>
  [...rows].sort((a, b) => `${a.date}${a.campaignId}${a.hour ?? ''}`.localeCompare(`${b.date}${b.campaignId}${b.hour ?? ''}`));

/** A tiny credentials object: the platform id is the job's, tokens handed out in order on each refresh. */
function fakeCredentials(tokens: string[], platformAccountId?: string) {
  const calls: { accountId: string; forceRefresh: boolean }[] = [];
  let index = 0;
  const credentials: AdAccountCredentials = {
    async getGrant(_platform, _userId, accountId, opts): Promise<AdAccountGrant> {
      calls.push({ accountId, forceRefresh: opts.forceRefresh });
      if (opts.forceRefresh) index = Math.min(index + 1, tokens.length - 1);
      return { accessToken: tokens[index]!, platformAccountId: platformAccountId ?? accountId, loginCustomerId: null };
    },
  };
  return { credentials, calls };
}

describe('createMetaAdsClient (fake Graph server, real Redis)', () => {
  const redis = new Redis(testRedisUrl());
  const keyPrefix = uniquePrefix('meta-client');
  let server: FakeMetaGraphServer | undefined;
  let controller: AbortController;

  const start = async (options: Partial<FakeMetaGraphServerOptions> = {}) => {
    // "Today" pinned so January 2024 stays inside Meta's 37-month history whatever the clock says.
    server = await startFakeMetaGraphServer({ accessTokens: { good: '*' }, today: '2025-06-30', ...options });
    return server;
  };
  const client = (config: Partial<MetaAdsClientConfig> = {}, tokens = ['good'], platformAccountId?: string, shared?: { redis: Redis; keyPrefix: string }) => {
    const creds = fakeCredentials(tokens, platformAccountId);
    const made = createMetaAdsClient({
      credentials: creds.credentials,
      redis: shared?.redis ?? redis,
      keyPrefix: shared?.keyPrefix ?? `${keyPrefix}-${Math.random().toString(36).slice(2, 8)}`,
      config: {
        graphUrl: server!.url,
        conversionActionTypes: ['offsite_conversion.fb_pixel_purchase'],
        asyncReportMinDays: 90,
        pageSize: 500,
        accountCallsPerSecond: 200,
        appCallsPerSecond: 1000,
        slowDownAtPct: 75,
        pauseAtPct: 95,
        maxInProcessWaitMs: 60_000,
        reportRunPolling: { initialMs: 10, maxMs: 50 },
        ...config,
      },
    });
    return { client: made, calls: creds.calls };
  };
  const ctx = (accountId: string, notes: string[] = []): AdsRequestContext => ({ userId: 'user_1', accountId, signal: controller.signal, note: (m) => notes.push(m) });

  beforeEach(() => {
    controller = new AbortController();
  });
  afterEach(async () => {
    controller.abort();
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await deletePrefix(testRedisUrl(), keyPrefix.replace(/-[^-]+$/, ''));
    redis.disconnect();
  });

  it("reads the account's name, currency and time zone", async () => {
    await start();
    const account = findSyntheticAdAccount('meta', FAULTY)!;
    await expect(client().client.getAccount(ctx(FAULTY))).resolves.toEqual({ platform: 'meta', accountId: FAULTY, name: account.name, currency: account.currency, timeZone: account.timeZone });
  });

  it('lists campaigns with daily budgets in micros (minor units × 10 000), only the ids asked for', async () => {
    await start({ pageSize: 2 });
    const account = findSyntheticAdAccount('meta', CLEAN)!;
    const { client: meta } = client({ pageSize: 2 });
    const all = await meta.listCampaigns(ctx(CLEAN));
    expect(all).toEqual(account.campaigns.map((c) => ({ campaignId: c.campaignId, name: c.name, status: c.status, dailyBudgetMicros: c.dailyBudgetMicros })));
    const some = await meta.listCampaigns(ctx(CLEAN), [account.campaigns[1]!.campaignId, '999']);
    expect(some.map((c) => c.campaignId)).toEqual([account.campaigns[1]!.campaignId]);
  });

  it('returns daily rows equal to the synthetic data to the micro, over several pages', async () => {
    const fake = await start();
    const rows = await client({ pageSize: 25 }).client.getDailyMetrics(ctx(FAULTY), JANUARY);
    expect(byKey(rows)).toEqual(byKey(expectedDaily(FAULTY, JANUARY)));
    const pages = fake.requests.filter((r) => r.path.endsWith('/insights'));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.slice(1).every((r) => typeof r.params['after'] === 'string')).toBe(true);
  });

  it('filters by campaign ids and counts only the configured conversion action type', async () => {
    await start();
    const ids = ['23851000000000001', '23851000000000003'];
    const rows = await client().client.getDailyMetrics(ctx(FAULTY), JANUARY, ids);
    expect(byKey(rows)).toEqual(byKey(expectedDaily(FAULTY, JANUARY, ids)));
    expect(rows.some((r) => r.conversions > 0)).toBe(true);
  });

  it('fetches long ranges through an async report run (POST, polls, paged results)', async () => {
    const fake = await start({ pageSize: 50 });
    const range = { start: '2024-01-01', end: '2024-03-31' };
    const rows = await client({ asyncReportMinDays: 60, pageSize: 100 }).client.getDailyMetrics(ctx(CLEAN), range);
    expect(byKey(rows)).toEqual(byKey(expectedDaily(CLEAN, range)));
    expect(fake.reportRuns).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path === `/v24.0/${fake.reportRuns[0]!.id}`).length).toBeGreaterThanOrEqual(2);
  });

  it('switches to an async run when a synchronous call is refused as too much data', async () => {
    const fake = await start({ asyncThresholdDays: 10 });
    const rows = await client().client.getDailyMetrics(ctx(FAULTY), JANUARY);
    expect(byKey(rows)).toEqual(byKey(expectedDaily(FAULTY, JANUARY)));
    expect(fake.requests.find((r) => r.errorCode === 100)).toBeDefined();
    expect(fake.reportRuns).toHaveLength(1);
  });

  it.each(['timeout-100', 'timeout-2', 'reduce-data-1'] as const)('switches to an async run when a synchronous call is refused as %s', async (kind) => {
    const fake = await start();
    fake.refuseNextSyncInsights(kind);
    const rows = await client().client.getDailyMetrics(ctx(FAULTY), JANUARY);
    expect(byKey(rows)).toEqual(byKey(expectedDaily(FAULTY, JANUARY)));
    expect(fake.requests.filter((r) => r.errorCode !== undefined)).toHaveLength(1);
    expect(fake.reportRuns).toHaveLength(1);
  });

  it('fails permanently, naming dateRange, when Meta refuses even the async report run as too much data', async () => {
    const fake = await start();
    fake.refuseNextSyncInsights('too-much-data');
    fake.refuseNextAsyncInsights();
    const failure = await client().client.getDailyMetrics(ctx(FAULTY), JANUARY).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/^dateRange: .*async report run as too much data/);
    expect(fake.requests.filter((r) => r.errorCode === 100)).toHaveLength(2);
  });

  it('fails permanently, naming dateRange.start, when Meta refuses a start more than 37 months back (3018), sync or async, without asking again', async () => {
    const fake = await start({ today: '2027-02-15' });
    for (const asyncReportMinDays of [90, 1]) {
      const before = fake.requests.length;
      const failure = await client({ asyncReportMinDays }).client.getDailyMetrics(ctx(FAULTY), JANUARY).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(PermanentJobError);
      expect((failure as Error).message).toMatch(/^dateRange\.start: .*37 months.*2024-01-01/);
      expect(fake.requests.slice(before).filter((r) => r.errorCode === 3018)).toHaveLength(1);
      expect(fake.requests.length - before).toBe(1);
    }
    const later = { start: '2024-01-15', end: '2024-01-31' };
    await expect(client().client.getDailyMetrics(ctx(FAULTY), later)).resolves.toEqual(expect.arrayContaining(expectedDaily(FAULTY, later)));
  });

  it('fails the fetch (transiently) when the async run ends Job Failed', async () => {
    const fake = await start();
    fake.failNextReportRun('Job Failed');
    const failure = await client({ asyncReportMinDays: 1 }).client.getDailyMetrics(ctx(FAULTY), JANUARY).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/Job Failed/);
  });

  it('reads hourly cost for the asked days and campaigns only', async () => {
    await start();
    const account = findSyntheticAdAccount('meta', FAULTY)!;
    const campaignId = account.campaigns[2]!.campaignId;
    const days = ['2024-01-10', '2024-01-12'];
    const hours = await client().client.getHourlyCost(ctx(FAULTY), days, [campaignId]);
    const expected = days.flatMap((date) =>
      syntheticHourlyCost(account, campaignId, date)
        .map((costMicros, hour) => ({ campaignId, date, hour, costMicros }))
        .filter((h) => h.costMicros > 0),
    );
    expect(byKey(hours)).toEqual(byKey(expected));
    expect(hours.reduce((s, h) => s + h.costMicros, 0)).toBe(days.reduce((s, d) => s + syntheticDay(account, campaignId, d).costMicros, 0));
  });

  it('asks Meta for hourly cost of the given days only: one call per run of consecutive days, never the span between', async () => {
    const fake = await start();
    const account = findSyntheticAdAccount('meta', FAULTY)!;
    const ids = [account.campaigns[0]!.campaignId, account.campaigns[2]!.campaignId];
    const days = ['2024-01-30', '2024-01-03', '2024-01-12', '2024-01-13', '2024-01-14', '2024-01-03'];
    const hours = await client().client.getHourlyCost(ctx(FAULTY), days, ids);
    const asked = fake.requests.filter((r) => r.path.endsWith('/insights')).map((r) => JSON.parse(String(r.params['time_range'])) as unknown);
    expect(asked).toEqual([
      { since: '2024-01-03', until: '2024-01-03' },
      { since: '2024-01-12', until: '2024-01-14' },
      { since: '2024-01-30', until: '2024-01-30' },
    ]);
    const expected = [...new Set(days)].flatMap((date) =>
      ids.flatMap((campaignId) =>
        syntheticHourlyCost(account, campaignId, date)
          .map((costMicros, hour) => ({ campaignId, date, hour, costMicros }))
          .filter((h) => h.costMicros > 0),
      ),
    );
    expect(byKey(hours)).toEqual(byKey(expected));
  });

  it('keeps under the quota from the usage headers: zero refusals', async () => {
    const fake = await start({ quota: { calls: 5, windowMs: 1200 } });
    const { client: meta } = client({ pageSize: 15 });
    const c = ctx(FAULTY);
    await meta.getAccount(c);
    await meta.listCampaigns(c);
    const rows = await meta.getDailyMetrics(c, JANUARY);
    expect(byKey(rows)).toEqual(byKey(expectedDaily(FAULTY, JANUARY)));
    expect(fake.requests.length).toBeGreaterThanOrEqual(10);
    expect(fake.refusals).toBe(0);
  }, 60_000);

  it('shares the pacing between processes (two Redis connections, one key prefix): zero refusals', async () => {
    const fake = await start({ quota: { calls: 6, windowMs: 1500 } });
    const other = new Redis(testRedisUrl());
    try {
      const shared = `${keyPrefix}-shared`;
      const config = { pageSize: 25, accountCallsPerSecond: 5 };
      const [a, b] = await Promise.all([
        client(config, ['good'], undefined, { redis, keyPrefix: shared }).client.getDailyMetrics(ctx(FAULTY), JANUARY),
        client(config, ['good'], undefined, { redis: other, keyPrefix: shared }).client.getDailyMetrics(ctx(FAULTY), JANUARY),
      ]);
      expect(byKey(a)).toEqual(byKey(expectedDaily(FAULTY, JANUARY)));
      expect(byKey(b)).toEqual(byKey(a));
      expect(fake.requests.length).toBeGreaterThanOrEqual(8);
      expect(fake.refusals).toBe(0);
    } finally {
      other.disconnect();
    }
  }, 60_000);

  it('when another app used the quota: exactly one refusal, a pause for the time the headers give, then completion', async () => {
    const fake = await start({ quota: { calls: 4, windowMs: 1000 } });
    fake.useQuota(FAULTY, 4);
    const notes: string[] = [];
    const rows = await client({ pageSize: 40 }).client.getDailyMetrics(ctx(FAULTY, notes), JANUARY);
    expect(byKey(rows)).toEqual(byKey(expectedDaily(FAULTY, JANUARY)));
    expect(fake.refusals).toBe(1);
    expect(notes.some((n) => /slow down/.test(n))).toBe(true);
  }, 60_000);

  it('gives the job back (RetryLaterError) when the pause is longer than maxInProcessWaitMs', async () => {
    const fake = await start({ quota: { calls: 2, windowMs: 30_000 } });
    fake.useQuota(FAULTY, 2);
    const failure = await client({ maxInProcessWaitMs: 1000 }).client.getDailyMetrics(ctx(FAULTY), JANUARY).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).delayMs).toBeGreaterThan(1000);
    expect(fake.refusals).toBe(1);
  });

  it('refreshes a refused token once, then goes on', async () => {
    const fake = await start({ accessTokens: { fresh: '*' } });
    const { client: meta, calls } = client({}, ['stale', 'fresh']);
    await expect(meta.getAccount(ctx(CLEAN))).resolves.toMatchObject({ currency: 'EUR' });
    expect(calls.map((c) => c.forceRefresh)).toEqual([false, true]);
    expect(fake.requests.map((r) => r.accessToken)).toEqual(['stale', 'fresh']);
  });

  it('fails permanently when the fresh token is refused too (the user must reconnect)', async () => {
    await start({ accessTokens: { other: '*' } });
    const failure = await client({}, ['stale', 'also-stale']).client.getAccount(ctx(CLEAN)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/reconnect/);
    expect((failure as Error).message).not.toMatch(/stale/);
  });

  it('fails permanently, naming the account, without permission or for an unknown account', async () => {
    await start({ accessTokens: { good: [CLEAN] } });
    const denied = await client().client.getAccount(ctx(FAULTY)).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermanentJobError);
    expect((denied as Error).message).toContain(FAULTY);
    const unknown = await client().client.getDailyMetrics(ctx('act_5555'), JANUARY).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(PermanentJobError);
    expect((unknown as Error).message).toContain('act_5555');
  });

  it("maps the app's account id to Meta's act_ id through the credentials, and refuses a non-Meta id", async () => {
    await start();
    await expect(client({}, ['good'], CLEAN).client.getAccount(ctx('acc_456'))).resolves.toMatchObject({ accountId: 'acc_456', currency: 'EUR' });
    await expect(client({}, ['good'], '1234567890').client.getAccount(ctx('acc_9'))).rejects.toBeInstanceOf(PermanentJobError);
  });

  it('stops with the abort reason when the job is cancelled while waiting', async () => {
    const fake = await start({ quota: { calls: 1, windowMs: 30_000 } });
    fake.useQuota(FAULTY, 1);
    const pending = client().client.getDailyMetrics(ctx(FAULTY), JANUARY);
    setTimeout(() => controller.abort(new Error('cancelled by test')), 200);
    await expect(pending).rejects.toThrow('cancelled by test');
  });
});
