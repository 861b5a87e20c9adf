import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { RetryLaterError } from '@jobs/worker-kit';
import { GoogleAdsThrottle, type GoogleAdsThrottleOptions } from './google-ads-throttle';

describe('GoogleAdsThrottle (real Redis)', () => {
  const url = testRedisUrl();
  let prefix: string;
  const connections: Redis[] = [];
  beforeEach(() => {
    prefix = uniquePrefix('google-throttle');
  });
  afterEach(async () => {
    for (const c of connections.splice(0)) c.disconnect();
    await deletePrefix(url, prefix);
  });

  function throttle(options: Partial<GoogleAdsThrottleOptions> = {}): GoogleAdsThrottle {
    const redis = new Redis(url);
    connections.push(redis);
    return new GoogleAdsThrottle({ redis, key: `${prefix}:rate-limit:google-ads`, requestsPerSecond: 8, maxInProcessWaitMs: 60_000, ...options });
  }

  it('halves the shared rate on a refusal, seen by every process, at most once per second, down to the floor', async () => {
    const a = throttle();
    const b = throttle();
    await expect(a.state()).resolves.toEqual({ requestsPerSecond: 8, pauseMs: 0 });
    await expect(a.refused(0)).resolves.toBe(4);
    // A second process refused at the same moment does not halve again.
    await expect(b.refused(0)).resolves.toBe(4);
    expect((await b.state()).requestsPerSecond).toBe(4);
    const floor = throttle({ minFactor: 1 / 2 });
    await sleep(1100);
    await expect(floor.refused(0)).resolves.toBe(4);
  });

  it('doubles the rate back once per recovery period without refusals', async () => {
    const t = throttle({ recoveryMs: 200 });
    await t.refused(0);
    await sleep(1100);
    await t.refused(0);
    // Long enough for both halvings to recover, whatever the machine's load.
    await sleep(1000);
    expect((await t.state()).requestsPerSecond).toBe(8);
  });

  it('shares the pause: a wait within the ceiling is held, a longer one is RetryLaterError without a slot taken', async () => {
    const a = throttle({ maxInProcessWaitMs: 10_000 });
    const b = throttle({ maxInProcessWaitMs: 10_000 });
    await a.refused(60_000);
    const pause = (await b.state()).pauseMs;
    expect(pause).toBeGreaterThan(50_000);
    const failure = await b.acquire(new AbortController().signal).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).delayMs).toBeGreaterThan(50_000);

    const c = throttle({ key: `${prefix}:other`, maxInProcessWaitMs: 10_000 });
    await c.refused(300);
    const notes: string[] = [];
    await c.acquire(new AbortController().signal, (n) => notes.push(n));
    expect(notes).toEqual(['waiting 1 s: Google Ads asked to slow down']);
    expect((await c.state()).pauseMs).toBe(0);
  });

  it('stops waiting when the job is aborted', async () => {
    const t = throttle();
    await t.refused(30_000);
    const controller = new AbortController();
    const waiting = t.acquire(controller.signal).catch((e: unknown) => e);
    controller.abort(new Error('job cancelled'));
    await expect(waiting).resolves.toEqual(new Error('job cancelled'));
  });
});
