import { Cluster } from 'ioredis';
import { adAnalysisResultSchema, getAdAnalysisReport, type AdAnalysisResult } from '@jobs/queue-contracts';
import { markClusterClients, startThrowawayRedisCluster, waitForNoClientsSince, type ThrowawayRedisCluster } from '@jobs/test-support';
import { GoogleAdsThrottle } from './lib/google-ads/google-ads-throttle';
import { startAdsHarness, type AdsHarness, type AdsHarnessOptions } from './test-support/ads-harness';

const JANUARY = { start: new Date('2024-01-01'), end: new Date('2024-01-31') };

/** One client connection as `CLIENT LIST` shows it. */
interface ClientEntry {
  readonly id: string;
  readonly name: string;
}

describe('ads worker on a 3-master Redis Cluster (worker started as main.ts starts it, local Google Ads, Meta and token servers)', () => {
  // In the describe: its afterAll runs before the leak check's, which would count the servers.
  let cluster: ThrowawayRedisCluster;
  /** The test's own cluster client, to look at keys and connections. */
  let admin: Cluster;
  let harness: AdsHarness | undefined;

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    admin = await cluster.openAdmin();
    // Every master answers (its connection is open, older than any test's mark of clients).
    await Promise.all(admin.nodes('master').map((node) => node.ping()));
  }, 60_000);

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  const start = async (options: Omit<AdsHarnessOptions, 'clusterNodes'> = {}): Promise<AdsHarness> => {
    harness = await startAdsHarness({ ...options, clusterNodes: cluster.nodes });
    return harness;
  };

  /** Every key under `<prefix>:` on each master, by the master's port. */
  const keysByMaster = async (prefix: string): Promise<Map<number, string[]>> => {
    const byPort = new Map<number, string[]>();
    for (const node of admin.nodes('master')) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      byPort.set(Number(node.options.port), keys);
    }
    return byPort;
  };

  /**
   * Checks that every key of the harness's prefix (the ads queue's and the app's own) is in the
   * ads queue's slot group: under `<prefix>:{ads}:`, on the one master that serves `{ads}`.
   * @returns the app's own keys (under `<prefix>:{ads}:ads-worker:`).
   */
  const expectAllKeysInTheAdsSlot = async (h: AdsHarness): Promise<string[]> => {
    expect(h.app.config.keyPrefix).toBe(`${h.prefix}:{ads}:ads-worker`);
    const byPort = await keysByMaster(h.prefix);
    const holding = [...byPort].filter(([, keys]) => keys.length > 0);
    expect(holding).toHaveLength(1);
    const [port, keys] = holding[0]!;
    // The master holding them is the one serving the ads queue's slot.
    const slot = Number(await admin.cluster('KEYSLOT', `${h.prefix}:{ads}:ads:wait`));
    const slots = await admin.cluster('SLOTS');
    expect(slots.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1]).toBe(port);
    expect(keys.filter((key) => !key.startsWith(`${h.prefix}:{ads}:`))).toEqual([]);
    expect(keys.some((key) => key.startsWith(`${h.prefix}:{ads}:ads:`))).toBe(true);
    return keys.filter((key) => key.includes(':ads-worker:'));
  };

  /** The client connections of each master by its port, the test's own admin connection included. */
  const clientsByMaster = async (): Promise<Map<number, ClientEntry[]>> =>
    new Map(
      await Promise.all(
        admin.nodes('master').map(async (node): Promise<[number, ClientEntry[]]> => [
          Number(node.options.port),
          String(await node.client('LIST'))
            .trim()
            .split('\n')
            .map((line) => ({ id: /(?:^| )id=(\d+)/.exec(line)?.[1] ?? '', name: /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '' })),
        ]),
      ),
    );

  const finishedResult = async (h: AdsHarness, id: string): Promise<AdAnalysisResult> => {
    const done = await h.finished(id);
    expect(done.failedReason).toBeUndefined();
    // BullMQ counts the attempt that completed: 1 made, started once, none lost to a retry.
    expect([done.attemptsMade, done.attemptsStarted]).toEqual([1, 1]);
    return adAnalysisResultSchema.parse(done.returnvalue);
  };

  it("runs the seed's Google job through a refusal of the project's quota (the pacer's two-key script), and getAdAnalysisReport reads its report", async () => {
    // The first request is refused (RESOURCE_EXHAUSTED, DEVELOPER scope): the refusal script
    // writes the project's `:pace` hash and reads its `:accepted` set in one call.
    const h = await start({ google: { faults: [{ count: 1, status: 429, rateScope: 'DEVELOPER', retryDelaySeconds: 1 }] } });
    const job = await h.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId: 'acc_456', dateRange: JANUARY });
    const result = await finishedResult(h, job.id as string);
    expect(result).toMatchObject({
      platform: 'google',
      accountId: 'acc_456',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      dateRange: { start: '2024-01-01', end: '2024-01-31' },
      previousRange: { start: '2023-12-01', end: '2023-12-31' },
    });
    expect(result.campaigns.length).toBeGreaterThan(0);
    expect(result.recommendations.map((r) => r.rule)).toEqual(expect.arrayContaining(['stopped-spending']));
    expect(h.google.refusals).toBe(1);
    expect(h.google.requests.map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
    expect(h.logs.some((line) => line['msg'] === 'Google Ads refused a request (quota): every process pauses and slows down')).toBe(true);

    // The report is where the reader derives it from the ads queue on the cluster.
    expect(result.report?.key).toBe(`${h.prefix}:{ads}:ads-worker:report:${job.id}`);
    const html = await getAdAnalysisReport(result.report!, { source: h.producer });
    expect(html).toContain('<svg');
    await expect(getAdAnalysisReport(job.id as string, { source: h.producer })).resolves.toBe(html);

    const own = await expectAllKeysInTheAdsSlot(h);
    const throttle = `${h.prefix}:{ads}:ads-worker:rate-limit:google-ads`;
    expect(own).toEqual(expect.arrayContaining([`${throttle}:pace`, `${throttle}:accepted`, result.report!.key]));
    expect(await admin.hget(`${throttle}:pace`, 'rate')).not.toBeNull();
  }, 120_000);

  it("slows down only the customer Google refused (ACCOUNT scope): the customer's pacer keys are in the ads slot too", async () => {
    const h = await start({ google: { faults: [{ count: 1, status: 429, rateScope: 'ACCOUNT', retryDelaySeconds: 1 }] } });
    const job = await h.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId: 'acc_456', dateRange: JANUARY });
    const result = await finishedResult(h, job.id as string);
    expect(result.platform).toBe('google');
    expect(h.google.refusals).toBe(1);
    expect(h.logs.some((line) => line['msg'] === 'Google Ads refused a request (account quota): requests for this customer pause and slow down')).toBe(true);

    const own = await expectAllKeysInTheAdsSlot(h);
    const customer = `${h.prefix}:{ads}:ads-worker:rate-limit:google-ads:customer:1234567890`;
    expect(own).toEqual(expect.arrayContaining([`${customer}:pace`, `${customer}:accepted`]));
    expect(await admin.hget(`${customer}:pace`, 'rate')).not.toBeNull();
    // The project's rate was not lowered by the customer's refusal.
    expect(await admin.hget(`${h.prefix}:{ads}:ads-worker:rate-limit:google-ads:pace`, 'rate')).toBeNull();
  }, 120_000);

  it("paces a Meta job by its usage headers through the shared rate limiters (per ad account and app), with no refusal", async () => {
    // 3 calls per 5 s: the usage headers reach 100 % after three calls; the client pauses the
    // account's limiter until the reset they give before each further call.
    const h = await start({ meta: { quota: { calls: 3, windowMs: 5000 } } });
    const job = await h.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'meta', accountId: 'acc_789', dateRange: JANUARY });
    const result = await finishedResult(h, job.id as string);
    expect(result).toMatchObject({ platform: 'meta', currency: 'USD', timeZone: 'America/Los_Angeles' });
    expect(h.meta.refusals).toBe(0);
    expect(h.meta.requests.filter((r) => r.accountId === 'act_1234567890').length).toBeGreaterThan(3);

    const own = await expectAllKeysInTheAdsSlot(h);
    const meta = `${h.prefix}:{ads}:ads-worker:rate-limit:meta`;
    expect(own).toEqual(expect.arrayContaining([`${meta}:account:act_1234567890`, `${meta}:app`, `${h.prefix}:{ads}:ads-worker:report:${job.id}`]));
    // A pause was set on the account's limiter (the headers said the quota was spent).
    expect(await admin.hget(`${meta}:account:act_1234567890`, 'pausedUntil')).not.toBeNull();
  }, 120_000);

  it('leaves no connection of the app on any master after its shutdown', async () => {
    // Every connection of the app and of the harness's producer is newer than this mark; the
    // admin's are older, and earlier tests' connections still closing are older too.
    const mark = await markClusterClients(admin);
    const h = await start();
    const job = await h.producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId: 'acc_456', dateRange: JANUARY });
    await finishedResult(h, job.id as string);
    // The test's own producer and queue go first: what is left after the mark is the app's.
    await h.closeClients();
    const appClients = [...(await clientsByMaster())].flatMap(([port, clients]) => clients.filter((c) => Number(c.id) > (mark.get(port) ?? 0)));
    expect(appClients.length).toBeGreaterThan(0);
    // The state connection (rate limiters, reports) is a Cluster named as the kit names it.
    expect(appClients.some((c) => c.name === 'ads-worker:state')).toBe(true);

    await h.app.shutdown.shutdown('test');
    // Judged by client id, not by count: see waitForNoClientsSince.
    await waitForNoClientsSince(admin, mark, 'no connection of the app or the producer left on any master');
  }, 120_000);

  it("refuses a Google Ads pacer key without a hash tag on a cluster (its refusal script's two keys would be in different slots)", () => {
    const options = { redis: admin, requestsPerSecond: 10, maxInProcessWaitMs: 1000 };
    expect(() => new GoogleAdsThrottle({ ...options, key: 'bull:ads-worker:rate-limit:google-ads' })).toThrow(/hash tag/);
    expect(() => new GoogleAdsThrottle({ ...options, key: 'bull:{}:ads-worker:rate-limit:google-ads' })).toThrow(/hash tag/);
    expect(() => new GoogleAdsThrottle({ ...options, key: 'bull:{ads}:ads-worker:rate-limit:google-ads' })).not.toThrow();
  });
});
