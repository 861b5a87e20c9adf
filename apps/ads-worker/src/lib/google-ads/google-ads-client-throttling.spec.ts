import { Redis } from 'ioredis';
import { deletePrefix, startFakeGoogleAdsServer, testRedisUrl, uniquePrefix, type FakeGoogleAdsServer, type FakeGoogleAdsQuota } from '@jobs/test-support';
import type { AdAccountCredentials } from '../ad-account-credentials';
import type { AdsPlatformClient, AdsRequestContext } from '../ads-data';
import { createGoogleAdsClient } from './google-ads-client';

const ACME = '1234567890';

/** Every job's grant: the seed's account, a made-up token. */
const credentials: AdAccountCredentials = {
  async getGrant() {
    return { accessToken: 'made-up-token', platformAccountId: ACME, loginCustomerId: null };
  },
};

// QA finding 1: several concurrent jobs in several processes against a small quota must meet one
// wave of refusals (the requests already in flight when the first came), then be paced under
// the quota. "Before the first pause ends" is judged on the fake's arrival times of the refused
// requests against the first refusal's arrival plus its retryDelay.
describe('createGoogleAdsClient throttling under many jobs (fake Google Ads server, real Redis)', () => {
  const url = testRedisUrl();
  let prefix: string;
  let server: FakeGoogleAdsServer | undefined;
  const connections: Redis[] = [];

  beforeEach(() => {
    prefix = uniquePrefix('google-ads-many');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const c of connections.splice(0)) c.disconnect();
    await deletePrefix(url, prefix);
  });

  /** One worker process: its own Redis connection and client, the deployment's key prefix, default settings. */
  function workerProcess(): AdsPlatformClient {
    const redis = new Redis(url);
    connections.push(redis);
    return createGoogleAdsClient({
      credentials,
      redis,
      keyPrefix: `${prefix}:ads-worker`,
      // GOOGLE_ADS_REQUESTS_PER_SECOND and ADS_MAX_IN_PROCESS_WAIT_MS defaults.
      config: { apiUrl: server!.url, apiVersion: 'v26', developerToken: null, loginCustomerId: null, requestsPerSecond: 10, maxInProcessWaitMs: 60_000 },
    });
  }

  /** One job's calls, as the handler makes them (account, campaigns, current and previous metrics); `days` long, from 2024-01-01. */
  async function job(client: AdsPlatformClient, days: number): Promise<void> {
    const ctx: AdsRequestContext = { userId: 'user_123', accountId: 'acc_456', signal: AbortSignal.timeout(120_000) };
    await client.getAccount(ctx);
    await client.listCampaigns(ctx);
    await client.getDailyMetrics(ctx, { start: '2024-01-01', end: `2024-01-${String(days).padStart(2, '0')}` });
    await client.getDailyMetrics(ctx, { start: '2023-12-01', end: `2023-12-${String(days).padStart(2, '0')}` });
  }

  /** The project-wide rate the refusal stored in Redis (requests per second), null when never lowered. */
  async function storedRate(): Promise<number | null> {
    const rate = await connections[0]!.hget(`${prefix}:ads-worker:rate-limit:google-ads:pace`, 'rate');
    return rate === null ? null : Number(rate);
  }

  function expectOneWave(quota: FakeGoogleAdsQuota, answered: number): void {
    const refused = server!.requests.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const pauseEnds = refused[0]!.at + (quota.retryDelaySeconds ?? 1) * 1000;
    // Every refusal arrived before the first pause ended: none after the pacing took over.
    expect(refused.filter((r) => r.at >= pauseEnds)).toEqual([]);
    expect(server!.requests.filter((r) => r.status === 200)).toHaveLength(answered);
    expect(server!.refusals).toBe(refused.length);
  }

  // QA round 2, finding 1: the same, with 20-day ranges; the rate after the pause was 0.63/s
  // (the 3 s pause counted as time Google was answering in), 3× under the quota.
  it('two processes, four concurrent jobs each, a quota of 2 per second (retryDelay 3 s): one wave of refusals, then paced at 1.2–2 per second (the pause not counted), and every job completes', async () => {
    const quota = { requests: 2, windowMs: 1000, retryDelaySeconds: 3 };
    server = await startFakeGoogleAdsServer({ quota });
    const a = workerProcess();
    const b = workerProcess();
    const jobs = [0, 1, 2, 3].flatMap(() => [job(a, 20), job(b, 20)]);
    await Promise.all(jobs);
    expectOneWave(quota, 8 * 4);
    // The rate the one lowering stored (no later lowering: one wave): under the quota, not far under.
    const rate = await storedRate();
    expect(rate).not.toBeNull();
    expect(rate!).toBeGreaterThanOrEqual(1.2);
    expect(rate!).toBeLessThanOrEqual(quota.requests);
  }, 120_000);

  it("QA's single worker: quota 3 per second, retryDelay 1 s, four concurrent jobs → one wave of refusals", async () => {
    const quota = { requests: 3, windowMs: 1000, retryDelaySeconds: 1 };
    server = await startFakeGoogleAdsServer({ quota });
    const worker = workerProcess();
    await Promise.all([0, 1, 2, 3].map((n) => job(worker, 10 + n)));
    expectOneWave(quota, 4 * 4);
    const rate = await storedRate();
    expect(rate).not.toBeNull();
    expect(rate!).toBeGreaterThanOrEqual(1.2);
    expect(rate!).toBeLessThanOrEqual(quota.requests);
  }, 120_000);
});
