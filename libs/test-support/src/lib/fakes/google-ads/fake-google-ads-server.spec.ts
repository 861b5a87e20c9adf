import { findSyntheticAdAccount } from '../ads/synthetic-ad-accounts';
import { syntheticDay } from '../ads/synthetic-day';
import { syntheticHourlyCost } from '../ads/synthetic-hourly-cost';
import { startFakeGoogleAdsServer, type FakeGoogleAdsServer, type FakeGoogleAdsServerOptions } from './fake-google-ads-server';

const CUSTOMER = '1234567890';

interface Row {
  readonly customer?: Record<string, string>;
  readonly campaign: { readonly id: string } & Record<string, string>;
  readonly campaignBudget?: Record<string, string | boolean>;
  readonly segments: { readonly date?: string; readonly hour: number };
  readonly metrics: Record<string, string | number>;
}
interface Failure {
  readonly errorCode: Record<string, string>;
  readonly details: { readonly quotaErrorDetails: { readonly retryDelay: string; readonly rateScope: string; readonly rateName: string } };
}
interface Batch {
  readonly results?: Row[];
  readonly fieldMask: string;
  readonly requestId: string;
  readonly queryResourceConsumption?: string;
  readonly error: { readonly status: string; readonly details: { readonly '@type': string; readonly errors: Failure[] }[] };
}

describe('fake Google Ads server', () => {
  let server: FakeGoogleAdsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(options: FakeGoogleAdsServerOptions = {}): Promise<FakeGoogleAdsServer> {
    server = await startFakeGoogleAdsServer(options);
    return server;
  }

  async function search(query: string, init: { customer?: string; token?: string | null; headers?: Record<string, string>; version?: string } = {}): Promise<{ status: number; body: Batch[] }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...init.headers };
    if (init.token !== null) headers['Authorization'] = `Bearer ${init.token ?? 'token-1'}`;
    const res = await fetch(`${server!.url}/${init.version ?? 'v26'}/customers/${init.customer ?? CUSTOMER}/googleAds:searchStream`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { status: res.status, body: (await res.json()) as Batch[] };
  }

  const rowsOf = (body: Batch[]): Row[] => body.flatMap((batch) => batch.results ?? []);

  it('streams daily campaign metrics of the synthetic account, int64 as strings, only days with activity', async () => {
    await start();
    const { status, body } = await search(
      "SELECT campaign.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '2024-01-01' AND '2024-01-31'",
    );
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    expect(body[0].fieldMask).toBe('campaign.id,segments.date,metrics.impressions,metrics.clicks,metrics.costMicros,metrics.conversions,metrics.conversionsValue');
    expect(typeof body[0].requestId).toBe('string');
    const account = findSyntheticAdAccount('google', CUSTOMER)!;
    const expected = account.campaigns.flatMap((c) =>
      Array.from({ length: 31 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`)
        .map((date) => ({ date, day: syntheticDay(account, c.campaignId, date), id: c.campaignId }))
        .filter(({ day }) => day.impressions > 0 || day.clicks > 0 || day.costMicros > 0),
    );
    const rows = rowsOf(body);
    expect(rows).toHaveLength(expected.length);
    expect(rows.length).toBeLessThan(4 * 31); // the stopped campaign has no rows after it stopped
    for (const [i, { date, day, id }] of expected.entries()) {
      expect(rows[i]).toEqual({
        campaign: { resourceName: `customers/${CUSTOMER}/campaigns/${id}`, id },
        segments: { date },
        metrics: {
          impressions: String(day.impressions),
          clicks: String(day.clicks),
          costMicros: String(day.costMicros),
          conversions: day.conversions,
          conversionsValue: day.conversionValueMicros / 1e6,
        },
      });
    }
  });

  it('answers the customer, campaigns filtered by id, and a campaign without a daily budget', async () => {
    await start();
    const customer = await search('SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer', { customer: '9876543210' });
    expect(rowsOf(customer.body)).toEqual([
      { customer: { resourceName: 'customers/9876543210', id: '9876543210', descriptiveName: 'Birch Furniture (Google)', currencyCode: 'USD', timeZone: 'America/New_York' } },
    ]);
    const campaigns = await search('SELECT campaign.id, campaign.name, campaign.status, campaign_budget.amount_micros, campaign_budget.period FROM campaign WHERE campaign.id IN (22000000002, 22000000003)', {
      customer: '9876543210',
    });
    const rows = rowsOf(campaigns.body);
    expect(rows.map((r) => r.campaign.id)).toEqual(['22000000002', '22000000003']);
    expect(rows[0].campaignBudget).toEqual({ resourceName: expect.any(String), period: 'CUSTOM_PERIOD' });
    expect(rows[1].campaignBudget).toEqual({ resourceName: expect.any(String), amountMicros: '250000000', period: 'DAILY' });
  });

  it('segments cost by hour', async () => {
    await start();
    const { body } = await search("SELECT campaign.id, segments.date, segments.hour, metrics.cost_micros FROM campaign WHERE segments.date = '2024-01-10' AND campaign.id = 21000000003");
    const rows = rowsOf(body);
    const account = findSyntheticAdAccount('google', CUSTOMER)!;
    const hourly = syntheticHourlyCost(account, '21000000003', '2024-01-10');
    expect(rows.map((r) => [r.segments.hour, Number(r.metrics['costMicros'])])).toEqual(hourly.flatMap((cost, hour) => (cost > 0 ? [[hour, cost]] : [])));
    expect(rows.every((r) => r.segments.hour < 12)).toBe(true);
  });

  it('splits the stream into batches of batchSize', async () => {
    await start({ batchSize: 10 });
    const { body } = await search("SELECT campaign.id, segments.date, metrics.cost_micros FROM campaign WHERE segments.date BETWEEN '2024-01-01' AND '2024-01-05'");
    expect(body.length).toBeGreaterThan(1);
    expect(body.slice(0, -1).every((b) => b.results?.length === 10)).toBe(true);
    expect(typeof body.at(-1)?.queryResourceConsumption).toBe('string');
  });

  it('refuses unknown fields and missing date ranges with a GoogleAdsFailure queryError', async () => {
    await start();
    const unknown = await search("SELECT campaign.id, metrics.nonsense FROM campaign WHERE segments.date = '2024-01-01'");
    expect(unknown.status).toBe(400);
    expect(unknown.body[0].error.status).toBe('INVALID_ARGUMENT');
    expect(unknown.body[0].error.details[0]['@type']).toBe('type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure');
    expect(unknown.body[0].error.details[0].errors[0].errorCode).toEqual({ queryError: 'UNRECOGNIZED_FIELD' });
    const noRange = await search('SELECT campaign.id, metrics.clicks FROM campaign');
    expect(noRange.body[0].error.details[0].errors[0].errorCode).toEqual({ queryError: 'EXPECTED_FILTERS_ON_DATE_RANGE' });
  });

  it('checks the bearer token, the developer token when enforced, and the customer', async () => {
    await start({ accessTokens: { good: [CUSTOMER] }, developerToken: 'dev-token-made-up', disabledCustomers: [] });
    const ok = { 'developer-token': 'dev-token-made-up', 'login-customer-id': '1112223333' };
    const q = 'SELECT customer.id FROM customer';
    expect((await search(q, { token: null, headers: ok })).status).toBe(401);
    const bad = await search(q, { token: 'bad', headers: ok });
    expect(bad.status).toBe(401);
    expect(bad.body[0].error.status).toBe('UNAUTHENTICATED');
    const noDev = await search(q, { token: 'good' });
    expect(noDev.status).toBe(401);
    expect(noDev.body[0].error.details[0].errors[0].errorCode).toEqual({ authenticationError: 'DEVELOPER_TOKEN_INVALID' });
    const denied = await search(q, { token: 'good', headers: ok, customer: '9876543210' });
    expect(denied.status).toBe(403);
    expect(denied.body[0].error.details[0].errors[0].errorCode).toEqual({ authorizationError: 'USER_PERMISSION_DENIED' });
    expect((await search(q, { token: 'good', headers: ok, customer: '5555555555' })).status).toBe(403);
    expect((await search(q, { token: 'good', headers: ok, customer: '123-456-7890' })).status).toBe(400);
    expect((await search(q, { token: 'good', headers: ok })).status).toBe(200);
    server!.revokeAccessToken('good');
    expect((await search(q, { token: 'good', headers: ok })).status).toBe(401);
    const last = server!.requests.at(-2)!;
    expect(last).toMatchObject({ method: 'POST', version: 'v26', customerId: CUSTOMER, accessToken: 'good', developerToken: 'dev-token-made-up', loginCustomerId: '1112223333', status: 200, query: q });
  });

  it('answers CUSTOMER_NOT_ENABLED for a disabled customer', async () => {
    await start({ disabledCustomers: [CUSTOMER] });
    const res = await search('SELECT customer.id FROM customer');
    expect(res.status).toBe(403);
    expect(res.body[0].error.details[0].errors[0].errorCode).toEqual({ authorizationError: 'CUSTOMER_NOT_ENABLED' });
  });

  it("answers an injected 403 refusing the worker's own project or developer token (authorizationError)", async () => {
    const fake = await start({ faults: [{ count: 1, status: 403 }] });
    fake.failNext({ count: 1, status: 403, authorizationError: 'DEVELOPER_TOKEN_PROHIBITED' });
    const first = await search('SELECT customer.id FROM customer');
    expect(first.status).toBe(403);
    expect(first.body[0].error.status).toBe('PERMISSION_DENIED');
    expect(first.body[0].error.details[0].errors[0].errorCode).toEqual({ authorizationError: 'CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION' });
    const second = await search('SELECT customer.id FROM customer');
    expect(second.body[0].error.details[0].errors[0].errorCode).toEqual({ authorizationError: 'DEVELOPER_TOKEN_PROHIBITED' });
    expect((await search('SELECT customer.id FROM customer')).status).toBe(200);
  });

  it('refuses beyond its quota with RESOURCE_EXHAUSTED and a retryDelay, counting refusals', async () => {
    await start({ quota: { requests: 2, windowMs: 60_000, retryDelaySeconds: 7 } });
    const q = 'SELECT customer.id FROM customer';
    expect((await search(q)).status).toBe(200);
    expect((await search(q)).status).toBe(200);
    const refused = await search(q);
    expect(refused.status).toBe(429);
    expect(refused.body[0].error.status).toBe('RESOURCE_EXHAUSTED');
    const failure = refused.body[0].error.details[0].errors[0];
    expect(failure.errorCode).toEqual({ quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' });
    expect(failure.details.quotaErrorDetails.retryDelay).toBe('7s');
    expect(failure.details.quotaErrorDetails.rateScope).toBe('DEVELOPER');
    expect(server!.refusals).toBe(1);
    // Project scope: another customer is refused too.
    expect((await search(q, { customer: '9876543210' })).status).toBe(429);
    server!.setQuota(null);
    expect((await search(q)).status).toBe(200);
  });

  it('with an ACCOUNT-scoped quota counts each customer on its own and says so', async () => {
    await start({ quota: { requests: 1, windowMs: 60_000, rateScope: 'ACCOUNT' } });
    const q = 'SELECT customer.id FROM customer';
    expect((await search(q)).status).toBe(200);
    const refused = await search(q);
    expect(refused.status).toBe(429);
    expect(refused.body[0].error.details[0].errors[0].details.quotaErrorDetails).toMatchObject({ rateScope: 'ACCOUNT', rateName: 'Requests per account' });
    // Another customer has a bucket of its own.
    expect((await search(q, { customer: '9876543210' })).status).toBe(200);
    expect(server!.refusals).toBe(1);
    // An injected refusal can name the scope too.
    server!.setQuota(null);
    server!.failNext({ count: 1, status: 429, rateScope: 'ACCOUNT' });
    expect((await search(q)).body[0].error.details[0].errors[0].details.quotaErrorDetails.rateScope).toBe('ACCOUNT');
  });

  it('serves shared budgets, serving/primary status and end dates as campaignSettings say', async () => {
    await start({ campaignSettings: { '21000000001': { sharedBudget: true }, '21000000004': { sharedBudget: true }, '21000000002': { endDate: '2024-01-21' }, '21000000003': { endDate: '2999-12-31' } } });
    const { status, body } = await search(
      'SELECT campaign.id, campaign.status, campaign.serving_status, campaign.primary_status, campaign.end_date_time, campaign_budget.amount_micros, campaign_budget.explicitly_shared FROM campaign',
    );
    expect(status).toBe(200);
    const byId = new Map(rowsOf(body).map((r) => [r.campaign.id, r]));
    expect(byId.get('21000000001')!.campaignBudget).toMatchObject({ resourceName: `customers/${CUSTOMER}/campaignBudgets/8000`, explicitlyShared: true, amountMicros: '600000000' });
    expect(byId.get('21000000004')!.campaignBudget!['resourceName']).toBe(`customers/${CUSTOMER}/campaignBudgets/8000`);
    expect(byId.get('21000000003')!.campaignBudget!['explicitlyShared']).toBe(false);
    expect(byId.get('21000000002')!.campaign).toMatchObject({ status: 'ENABLED', servingStatus: 'ENDED', primaryStatus: 'ENDED', endDateTime: '2024-01-21 23:59:59' });
    expect(byId.get('21000000003')!.campaign).toMatchObject({ servingStatus: 'SERVING', primaryStatus: 'ELIGIBLE', endDateTime: '2999-12-31 23:59:59' });
    expect(byId.get('21000000001')!.campaign).toMatchObject({ servingStatus: 'SERVING' });
    expect(byId.get('21000000001')!.campaign['endDateTime']).toBeUndefined();
    // v23 replaced campaign.end_date by end_date_time.
    expect((await search('SELECT campaign.id, campaign.end_date FROM campaign')).status).toBe(400);
  });

  it('answers a list of days (segments.date IN) with those days only', async () => {
    await start();
    const { body } = await search("SELECT campaign.id, segments.date, segments.hour, metrics.cost_micros FROM campaign WHERE segments.date IN ('2024-01-03', '2024-01-09') AND campaign.id IN (21000000003)");
    expect(new Set(rowsOf(body).map((r) => r.segments.date))).toEqual(new Set(['2024-01-03', '2024-01-09']));
  });

  it('fails injected requests, before the query or in the middle of the stream', async () => {
    await start({ batchSize: 5, faults: [{ count: 1, status: 503 }] });
    const q = "SELECT campaign.id, segments.date, metrics.cost_micros FROM campaign WHERE segments.date BETWEEN '2024-01-01' AND '2024-01-05'";
    const unavailable = await search(q);
    expect(unavailable.status).toBe(503);
    expect(unavailable.body[0].error.status).toBe('UNAVAILABLE');
    server!.failNext({ count: 1, midStream: true });
    const mid = await search(q);
    expect(mid.status).toBe(200);
    expect(mid.body).toHaveLength(2);
    expect(mid.body[0].results).toHaveLength(5);
    expect(mid.body[1].error.status).toBe('INTERNAL');
    expect((await search(q)).status).toBe(200);
  });

  it('answers 404 for paths and versions it does not serve', async () => {
    await start();
    expect((await search('SELECT customer.id FROM customer', { version: 'v22' })).status).toBe(404);
    const res = await fetch(`${server!.url}/v26/customers/${CUSTOMER}/campaigns`, { headers: { Authorization: 'Bearer x' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as Batch).error.status).toBe('NOT_FOUND');
  });
});
