import { findSyntheticAdAccount } from '../ads';
import { startFakeMetaGraphServer, type FakeMetaGraphServer } from './fake-meta-graph-server';
import { fakeMetaOldestSince, fakeMetaTodayIn } from './fake-meta-history-limit';

const ACT = 'act_1234567890';
const range = encodeURIComponent(JSON.stringify({ since: '2024-01-01', until: '2024-01-03' }));

describe('fake Meta Graph server (wire format)', () => {
  let server: FakeMetaGraphServer;
  beforeEach(async () => {
    server = await startFakeMetaGraphServer({ accessTokens: { tok: '*', narrow: ['act_9876543210'] }, pageSize: 5, quota: { calls: 3, windowMs: 60_000 } });
  });
  afterEach(() => server.close());

  const get = async (path: string, token = 'tok') => {
    const res = await fetch(`${server.url}/v24.0/${path}${path.includes('?') ? '&' : '?'}access_token=${token}`);
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it('pages insights with cursors and a full next URL carrying the access token; numbers as strings', async () => {
    const first = await get(`${ACT}/insights?level=campaign&time_increment=1&time_range=${range}&fields=campaign_id,impressions,spend,actions,date_start`);
    expect(first.status).toBe(200);
    const data = first.body['data'] as Record<string, unknown>[];
    expect(data).toHaveLength(5);
    expect(typeof data[0]?.['impressions']).toBe('string');
    expect(data[0]?.['spend']).toMatch(/^\d+(\.\d{1,2})?$/);
    expect(data[0]?.['date_stop']).toBe(data[0]?.['date_start']);
    const paging = first.body['paging'] as { cursors: { before: string; after: string }; next: string };
    expect(paging.cursors.after).toEqual(expect.any(String));
    const next = new URL(paging.next);
    expect(next.searchParams.get('access_token')).toBe('tok');
    expect(next.searchParams.get('after')).toBe(paging.cursors.after);
  });

  it('sends the usage headers as JSON and refuses beyond the quota with code 80000 and a time to regain access', async () => {
    await get(`${ACT}?fields=name`);
    const second = await get(`${ACT}?fields=currency`);
    expect(JSON.parse(second.headers.get('x-ad-account-usage') ?? '{}')).toMatchObject({ acc_id_util_pct: expect.any(Number), reset_time_duration: expect.any(Number) });
    expect(JSON.parse(second.headers.get('x-fb-ads-insights-throttle') ?? '{}')).toMatchObject({ app_id_util_pct: 0 });
    await get(`${ACT}?fields=name`);
    const refused = await get(`${ACT}/insights?level=campaign&time_increment=1&time_range=${range}&fields=spend`);
    expect(refused.status).toBe(400);
    expect(refused.body['error']).toMatchObject({ code: 80000, error_subcode: 2446079, type: 'OAuthException', fbtrace_id: expect.any(String) });
    const buc = JSON.parse(refused.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string; call_count: number; estimated_time_to_regain_access: number }[]>;
    expect(Object.values(buc)[0]?.[0]).toMatchObject({ type: 'ads_insights', call_count: 100, estimated_time_to_regain_access: 1 });
    expect(server.refusals).toBe(1);
  });

  it('answers Graph errors: 190 for a bad token, 200 without permission, 100/33 for an unknown account', async () => {
    expect((await get(`${ACT}?fields=name`, 'nope')).body['error']).toMatchObject({ code: 190, type: 'OAuthException' });
    expect((await get(`${ACT}?fields=name`, 'narrow')).body['error']).toMatchObject({ code: 200 });
    expect((await get('act_42?fields=name')).body['error']).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('gives campaign budgets in minor units and an account node with currency and time zone', async () => {
    const account = findSyntheticAdAccount('meta', ACT);
    const node = await get(`${ACT}?fields=name,currency,timezone_name`);
    expect(node.body).toEqual({ id: ACT, name: account?.name, currency: account?.currency, timezone_name: account?.timeZone });
    const campaigns = await get(`${ACT}/campaigns?fields=id,daily_budget`);
    const first = (campaigns.body['data'] as Record<string, string>[])[0];
    expect(Number(first?.['daily_budget']) * 10_000).toBe(account?.campaigns[0]?.dailyBudgetMicros);
  });

  it('filters campaigns by effective_status', async () => {
    server.setQuota(undefined);
    const paused = await get(`act_9876543210/campaigns?fields=id,status&effective_status=${encodeURIComponent('["PAUSED"]')}`);
    expect((paused.body['data'] as { status: string }[]).map((c) => c.status)).toEqual(['PAUSED']);
  });

  it('refuses the next report run creation as too much data when asked, once', async () => {
    server.setQuota(undefined);
    const create = () =>
      fetch(`${server.url}/v24.0/${ACT}/insights?access_token=tok`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ level: 'campaign', time_increment: 1, time_range: { since: '2024-01-01', until: '2024-01-02' }, fields: 'spend' }),
      }).then(async (res) => (await res.json()) as Record<string, unknown>);
    server.refuseNextAsyncInsights();
    expect((await create())['error']).toMatchObject({ code: 100, error_subcode: 1487534 });
    expect(await create()).toMatchObject({ report_run_id: expect.any(String) });
  });

  it('runs async reports through the AdReportRun statuses', async () => {
    server.setQuota(undefined);
    const created = await fetch(`${server.url}/v24.0/${ACT}/insights?access_token=tok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'campaign', time_increment: 1, time_range: { since: '2024-01-01', until: '2024-01-02' }, fields: 'campaign_id,spend' }),
    });
    const { report_run_id: id } = (await created.json()) as { report_run_id: string };
    const statuses: unknown[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`${id}?fields=async_status,async_percent_completion`)).body);
    expect(statuses.map((s) => (s as { async_status: string }).async_status)).toEqual(['Job Not Started', 'Job Started', 'Job Completed']);
  });

  describe("Graph's 37-month history limit (code 3018)", () => {
    let pinned: FakeMetaGraphServer;
    beforeEach(async () => {
      pinned = await startFakeMetaGraphServer({ accessTokens: { tok: '*' }, today: '2027-02-15' });
    });
    afterEach(() => pinned.close());
    const insights = async (since: string, method: 'GET' | 'POST' = 'GET') => {
      const timeRange = JSON.stringify({ since, until: '2024-02-01' });
      const res =
        method === 'GET'
          ? await fetch(`${pinned.url}/v24.0/${ACT}/insights?level=campaign&time_increment=1&time_range=${encodeURIComponent(timeRange)}&fields=spend&access_token=tok`)
          : await fetch(`${pinned.url}/v24.0/${ACT}/insights?access_token=tok`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ level: 'campaign', time_increment: 1, time_range: JSON.parse(timeRange), fields: 'spend' }),
            });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it('refuses a since older than 37 months before `today`, sync and async, and serves the oldest allowed day', async () => {
      for (const method of ['GET', 'POST'] as const) {
        const refused = await insights('2024-01-14', method);
        expect(refused.status).toBe(400);
        expect(refused.body['error']).toMatchObject({ code: 3018, type: 'OAuthException', message: expect.stringMatching(/37 months/) });
      }
      expect((await insights('2024-01-15')).status).toBe(200);
      expect((await insights('2024-01-15', 'POST')).body).toMatchObject({ report_run_id: expect.any(String) });
    });

    it('counts back from the real clock in the account time zone when `today` is not given', async () => {
      const oldest = fakeMetaOldestSince(fakeMetaTodayIn(findSyntheticAdAccount('meta', ACT)!.timeZone));
      const day = (d: string, delta: number) => new Date(Date.parse(`${d}T00:00:00Z`) + delta * 86_400_000).toISOString().slice(0, 10);
      const tooOld = encodeURIComponent(JSON.stringify({ since: day(oldest, -2), until: day(oldest, 5) }));
      const res = await get(`${ACT}/insights?level=campaign&time_increment=1&time_range=${tooOld}&fields=spend`);
      expect(res.body['error']).toMatchObject({ code: 3018 });
    });
  });

  it('refuses the next sync insights call the way asked, once', async () => {
    server.setQuota(undefined);
    const path = `${ACT}/insights?level=campaign&time_increment=1&time_range=${range}&fields=spend`;
    const cases = [
      ['too-much-data', 100, 1487534],
      ['timeout-100', 100, 1504018],
      ['timeout-2', 2, 1504038],
      ['reduce-data-1', 1, undefined],
    ] as const;
    for (const [kind, code, subcode] of cases) {
      server.refuseNextSyncInsights(kind);
      const refused = await get(path);
      expect(refused.body['error']).toMatchObject({ code, ...(subcode ? { error_subcode: subcode } : {}) });
      expect((await get(path)).status).toBe(200);
    }
  });
});
