import { Redis } from 'ioredis';
import { deletePrefix, findSyntheticAdAccount, startFakeGoogleAdsServer, syntheticDay, syntheticHourlyCost, testRedisUrl, uniquePrefix, type FakeGoogleAdsServer, type FakeGoogleAdsServerOptions } from '@jobs/test-support';
import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import type { AdAccountCredentials, AdAccountGrant } from '../ad-account-credentials';
import type { AdsPlatformClient, AdsRequestContext } from '../ads-data';
import { createGoogleAdsClient } from './google-ads-client';
import type { GoogleAdsClientConfig } from './google-ads-client-config';

const ACME = '1234567890';
const BIRCH = '9876543210';

/** A tiny AdAccountCredentials: the app's account id → tokens (the next one on each forceRefresh). */
function credentialsFor(accounts: Record<string, { tokens: string[]; platformAccountId: string; loginCustomerId?: string }>): AdAccountCredentials & { calls: { accountId: string; forceRefresh: boolean }[] } {
  const used = new Map<string, number>();
  const calls: { accountId: string; forceRefresh: boolean }[] = [];
  return {
    calls,
    async getGrant(_platform, _userId, accountId, opts): Promise<AdAccountGrant> {
      calls.push({ accountId, forceRefresh: opts.forceRefresh });
      const account = accounts[accountId];
      if (!account) throw new PermanentJobError(`ad account ${accountId} is not connected: the user must reconnect the ad account`);
      const index = Math.min((used.get(accountId) ?? 0) + (opts.forceRefresh ? 1 : 0), account.tokens.length - 1);
      used.set(accountId, index);
      return { accessToken: account.tokens[index]!, platformAccountId: account.platformAccountId, loginCustomerId: account.loginCustomerId ?? null };
    },
  };
}

const days = (start: string, end: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

describe('createGoogleAdsClient (fake Google Ads server, real Redis)', () => {
  const url = testRedisUrl();
  let prefix: string;
  let server: FakeGoogleAdsServer | undefined;
  const connections: Redis[] = [];
  const controller = new AbortController();
  const notes: string[] = [];
  const ctx = (accountId = 'acc_456'): AdsRequestContext => ({ userId: 'user_123', accountId, signal: controller.signal, note: (m) => notes.push(m) });

  beforeEach(() => {
    prefix = uniquePrefix('google-ads');
    notes.length = 0;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const c of connections.splice(0)) c.disconnect();
    await deletePrefix(url, prefix);
  });

  async function setUp(
    serverOptions: FakeGoogleAdsServerOptions = {},
    config: Partial<GoogleAdsClientConfig> = {},
    credentials: AdAccountCredentials = credentialsFor({ acc_456: { tokens: ['token-a'], platformAccountId: ACME, loginCustomerId: '1112223333' }, acc_birch: { tokens: ['token-b'], platformAccountId: BIRCH } }),
  ): Promise<AdsPlatformClient> {
    server ??= await startFakeGoogleAdsServer(serverOptions);
    return newClient(config, credentials);
  }

  function newClient(config: Partial<GoogleAdsClientConfig>, credentials: AdAccountCredentials): AdsPlatformClient {
    const redis = new Redis(url);
    connections.push(redis);
    return createGoogleAdsClient({
      credentials,
      redis,
      keyPrefix: `${prefix}:ads-worker`,
      config: { apiUrl: server!.url, apiVersion: 'v26', developerToken: null, loginCustomerId: null, requestsPerSecond: 50, maxInProcessWaitMs: 60_000, ...config },
    });
  }

  it("returns the account's daily campaign metrics equal to the synthetic rows, to the micro", async () => {
    const client = await setUp({ developerToken: 'made-up-dev-token' }, { developerToken: 'made-up-dev-token' });
    const metrics = await client.getDailyMetrics(ctx(), { start: '2024-01-01', end: '2024-01-31' });
    const account = findSyntheticAdAccount('google', ACME)!;
    const expected = days('2024-01-01', '2024-01-31').flatMap((date) =>
      account.campaigns.flatMap(({ campaignId }) => {
        const d = syntheticDay(account, campaignId, date);
        return d.impressions > 0 || d.clicks > 0 || d.costMicros > 0 ? [{ campaignId, date, ...d }] : [];
      }),
    );
    expect(metrics).toEqual(expected);
    const request = server!.requests[0]!;
    expect(request).toMatchObject({ path: `/v26/customers/${ACME}/googleAds:searchStream`, accessToken: 'token-a', developerToken: 'made-up-dev-token', loginCustomerId: '1112223333', status: 200 });
    expect(request.query).toContain("segments.date BETWEEN '2024-01-01' AND '2024-01-31'");
  });

  it('reads the account and its campaigns (a budget that is not daily is null), filtered by campaignIds', async () => {
    const client = await setUp({}, { loginCustomerId: '9998887777' });
    await expect(client.getAccount(ctx('acc_birch'))).resolves.toEqual({ platform: 'google', accountId: 'acc_birch', name: 'Birch Furniture (Google)', currency: 'USD', timeZone: 'America/New_York' });
    expect(server!.requests[0]!.loginCustomerId).toBe('9998887777');
    expect(server!.requests[0]!.developerToken).toBeNull();
    await expect(client.listCampaigns(ctx('acc_birch'))).resolves.toEqual([
      { campaignId: '22000000001', name: 'Search – Core', status: 'ENABLED', dailyBudgetMicros: 800_000_000 },
      { campaignId: '22000000002', name: 'Performance Max', status: 'ENABLED', dailyBudgetMicros: null },
      { campaignId: '22000000003', name: 'YouTube – Awareness', status: 'ENABLED', dailyBudgetMicros: 250_000_000 },
    ]);
    const only = await client.listCampaigns(ctx(), ['21000000002', '21000000004']);
    expect(only.map((c) => c.campaignId)).toEqual(['21000000002', '21000000004']);
    const filtered = await client.getDailyMetrics(ctx(), { start: '2024-01-10', end: '2024-01-12' }, ['21000000004']);
    expect(filtered.map((m) => m.campaignId)).toEqual(['21000000004', '21000000004', '21000000004']);
    expect(server!.requests.at(-1)!.query).toContain('campaign.id IN (21000000004)');
    await expect(client.listCampaigns(ctx(), [])).resolves.toEqual([]);
    const requests = server!.requests.length;
    await expect(client.listCampaigns(ctx(), ["1 OR 1=1"])).rejects.toThrow(PermanentJobError);
    expect(server!.requests).toHaveLength(requests);
  });

  it('paces no budget shared by several campaigns (null), and reports an ENABLED campaign whose end date passed as ENDED', async () => {
    const client = await setUp({ campaignSettings: { '22000000001': { sharedBudget: true }, '22000000003': { sharedBudget: true }, '21000000002': { endDate: '2024-01-21' }, '21000000004': { endDate: '2999-12-31' } } });
    await expect(client.listCampaigns(ctx('acc_birch'))).resolves.toEqual([
      { campaignId: '22000000001', name: 'Search – Core', status: 'ENABLED', dailyBudgetMicros: null },
      { campaignId: '22000000002', name: 'Performance Max', status: 'ENABLED', dailyBudgetMicros: null },
      { campaignId: '22000000003', name: 'YouTube – Awareness', status: 'ENABLED', dailyBudgetMicros: null },
    ]);
    const acme = await client.listCampaigns(ctx());
    expect(acme.map((c) => [c.campaignId, c.status, c.dailyBudgetMicros])).toEqual([
      ['21000000001', 'ENABLED', 600_000_000],
      ['21000000002', 'ENDED', 700_000_000],
      ['21000000003', 'ENABLED', 200_000_000],
      ['21000000004', 'ENABLED', 250_000_000],
    ]);
  });

  it('asks hourly cost for the days given only: one query per run of consecutive days', async () => {
    const client = await setUp();
    const asked = ['2024-01-09', '2024-01-03', '2024-01-04', '2024-01-20', '2024-01-21', '2024-01-22'];
    const hourly = await client.getHourlyCost(ctx(), asked, ['21000000003']);
    expect(server!.requests.map((r) => r.query!.replace(/^.* WHERE /, ''))).toEqual([
      "segments.date BETWEEN '2024-01-03' AND '2024-01-04' AND campaign.id IN (21000000003)",
      "segments.date = '2024-01-09' AND campaign.id IN (21000000003)",
      "segments.date BETWEEN '2024-01-20' AND '2024-01-22' AND campaign.id IN (21000000003)",
    ]);
    expect(new Set(hourly.map((h) => h.date))).toEqual(new Set(asked));
    const account = findSyntheticAdAccount('google', ACME)!;
    expect(hourly.filter((h) => h.date === '2024-01-21').reduce((sum, h) => sum + h.costMicros, 0)).toBe(syntheticDay(account, '21000000003', '2024-01-21').costMicros);
  });

  it('returns hourly cost of the asked days only, summing to the day', async () => {
    const client = await setUp();
    const hourly = await client.getHourlyCost(ctx(), ['2024-01-03', '2024-01-05'], ['21000000003']);
    const account = findSyntheticAdAccount('google', ACME)!;
    expect(new Set(hourly.map((h) => h.date))).toEqual(new Set(['2024-01-03', '2024-01-05']));
    for (const date of ['2024-01-03', '2024-01-05']) {
      const ofDay = hourly.filter((h) => h.date === date);
      expect(ofDay.reduce((sum, h) => sum + h.costMicros, 0)).toBe(syntheticDay(account, '21000000003', date).costMicros);
      expect(ofDay.map((h) => h.costMicros)).toEqual(syntheticHourlyCost(account, '21000000003', date).filter((c) => c > 0));
    }
  });

  it('after a quota refusal slows every request down: exactly one refusal, then completion', async () => {
    // Starts at 8/s against a fake allowing 5 per second: the sixth request is refused, the
    // client pauses for the retryDelay and lowers the shared rate under the quota (at most half), and nothing more is refused.
    const client = await setUp({ quota: { requests: 5, windowMs: 1000, retryDelaySeconds: 1 } }, { requestsPerSecond: 8 });
    for (let i = 0; i < 14; i++) await client.getAccount(ctx());
    expect(server!.refusals).toBe(1);
    expect(server!.requests.filter((r) => r.status === 200)).toHaveLength(14);
    expect(notes.some((n) => /slow down/.test(n))).toBe(true);
  }, 30_000);

  it('two processes on two Redis connections share the limiter and its lowered rate', async () => {
    await setUp({ quota: { requests: 3, windowMs: 1000, retryDelaySeconds: 1 } }, { requestsPerSecond: 4 });
    const credentials = credentialsFor({ acc_456: { tokens: ['token-a'], platformAccountId: ACME } });
    const a = newClient({ requestsPerSecond: 4 }, credentials);
    const b = newClient({ requestsPerSecond: 4 }, credentials);
    const run = async (client: AdsPlatformClient) => {
      for (let i = 0; i < 5; i++) await client.getAccount(ctx());
    };
    await Promise.all([run(a), run(b)]);
    expect(server!.refusals).toBe(1);
    expect(server!.requests.filter((r) => r.status === 200)).toHaveLength(10);
  }, 30_000);

  it('gives the slot back (RetryLaterError) when Google asks for a wait longer than the in-process ceiling, and later jobs do not call meanwhile', async () => {
    const client = await setUp({ faults: [{ count: 1, status: 429, retryDelaySeconds: 120 }] }, { maxInProcessWaitMs: 5_000 });
    const failure = await client.getAccount(ctx()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).delayMs).toBe(120_000);
    const other = await newClient({ maxInProcessWaitMs: 5_000 }, credentialsFor({ acc_birch: { tokens: ['t'], platformAccountId: BIRCH } }))
      .getAccount(ctx('acc_birch'))
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(RetryLaterError);
    expect((other as RetryLaterError).delayMs).toBeGreaterThan(100_000);
    expect(server!.requests).toHaveLength(1);
  });

  it("an ACCOUNT-scoped refusal holds back that customer only: another customer's requests go on", async () => {
    const client = await setUp({ faults: [{ count: 1, status: 429, retryDelaySeconds: 120, rateScope: 'ACCOUNT', pathPattern: new RegExp(`/customers/${ACME}/`) }] }, { maxInProcessWaitMs: 5_000 });
    const failure = await client.getAccount(ctx()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).delayMs).toBe(120_000);
    // Another process: the other customer is served at once, the refused one waits without calling.
    const other = newClient({ maxInProcessWaitMs: 5_000 }, credentialsFor({ acc_456: { tokens: ['t'], platformAccountId: ACME }, acc_birch: { tokens: ['t'], platformAccountId: BIRCH } }));
    await expect(other.getAccount(ctx('acc_birch'))).resolves.toMatchObject({ accountId: 'acc_birch' });
    await expect(other.listCampaigns(ctx('acc_birch'))).resolves.toHaveLength(3);
    const again = await other.getAccount(ctx()).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RetryLaterError);
    expect((again as RetryLaterError).delayMs).toBeGreaterThan(100_000);
    expect(server!.requests.map((r) => [r.customerId, r.status])).toEqual([
      [ACME, 429],
      [BIRCH, 200],
      [BIRCH, 200],
    ]);
  });

  it("under an ACCOUNT-scoped quota slows that customer down: exactly one refusal, then completion", async () => {
    const client = await setUp({ quota: { requests: 5, windowMs: 1000, retryDelaySeconds: 1, rateScope: 'ACCOUNT' } }, { requestsPerSecond: 8 });
    for (let i = 0; i < 14; i++) await client.getAccount(ctx());
    expect(server!.refusals).toBe(1);
    expect(server!.requests.filter((r) => r.status === 200)).toHaveLength(14);
    expect(notes.some((n) => /this account/.test(n))).toBe(true);
  }, 30_000);

  it('asks for a fresh token once after a 401, then fails permanently if Google still refuses', async () => {
    const credentials = credentialsFor({ acc_456: { tokens: ['expired', 'fresh'], platformAccountId: ACME }, acc_gone: { tokens: ['x', 'y'], platformAccountId: ACME } });
    const client = await setUp({ accessTokens: { fresh: '*' } }, {}, credentials);
    await expect(client.getAccount(ctx())).resolves.toMatchObject({ accountId: 'acc_456' });
    expect(server!.requests.map((r) => [r.accessToken, r.status])).toEqual([
      ['expired', 401],
      ['fresh', 200],
    ]);
    expect(credentials.calls).toEqual([
      { accountId: 'acc_456', forceRefresh: false },
      { accountId: 'acc_456', forceRefresh: true },
    ]);
    const failure = await client.getAccount(ctx('acc_gone')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/acc_gone.*reconnect/);
  });

  it('fails permanently, naming the accountId, when the customer is out of reach or not enabled', async () => {
    const client = await setUp({ accessTokens: { 'token-a': [BIRCH], 'token-b': [BIRCH] }, disabledCustomers: [BIRCH] });
    const denied = await client.getAccount(ctx()).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermanentJobError);
    expect((denied as Error).message).toMatch(/customer 1234567890 \(ad account acc_456\).*USER_PERMISSION_DENIED/);
    const disabled = await client.getAccount(ctx('acc_birch')).catch((e: unknown) => e);
    expect(disabled).toBeInstanceOf(PermanentJobError);
    expect((disabled as Error).message).toMatch(/CUSTOMER_NOT_ENABLED/);
  });

  it('retries a 503 and an error inside the stream, and gives a transient Error when they persist', async () => {
    const client = await setUp({ faults: [{ count: 1, status: 503 }, { count: 1, midStream: true }] });
    const metrics = await client.getDailyMetrics(ctx(), { start: '2024-01-01', end: '2024-01-02' });
    expect(metrics.length).toBeGreaterThan(0);
    expect(server!.requests.map((r) => r.status)).toEqual([503, 200, 200]);
    server!.failNext({ count: 2, status: 500 });
    const failure = await newClient({ transientRetries: 1 }, credentialsFor({ acc_456: { tokens: ['t'], platformAccountId: ACME } }))
      .getAccount(ctx())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(PermanentJobError);
    expect(failure).not.toBeInstanceOf(RetryLaterError);
    expect((failure as Error).message).toMatch(/internalError\.INTERNAL_ERROR/);
  }, 20_000);

  it('refuses an account that resolves to no customer id, naming accountId', async () => {
    const client = await setUp({}, {}, credentialsFor({ acc_bad: { tokens: ['t'], platformAccountId: 'acc_bad' } }));
    await expect(client.getAccount(ctx('acc_bad'))).rejects.toThrow(/accountId "acc_bad"/);
    expect(server!.requests).toHaveLength(0);
  });
});
