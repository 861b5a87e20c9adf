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

  it('lowers the shared rate once per wave, seen by every process: half, or 3/4 of the rate Google was answering when lower, never below the floor', async () => {
    const a = throttle();
    const b = throttle();
    await expect(a.state()).resolves.toEqual({ requestsPerSecond: 8, pauseMs: 0 });
    // Nothing answered yet: half the rate.
    const first = await a.acquire(new AbortController().signal);
    await expect(a.refused(0, first)).resolves.toEqual({ requestsPerSecond: 4, lowered: true });
    // A request let through before that lowering belongs to the same wave: no second lowering.
    await expect(b.refused(0, first)).resolves.toEqual({ requestsPerSecond: 4, lowered: false });
    expect((await b.state()).requestsPerSecond).toBe(4);

    // Two answered requests, then a refusal asking for a 30 s pause: Google answered 2 in (well)
    // under a second, i.e. about 2 per second (stretches count as at least 1 s) → 3/4 of that,
    // under half the rate (4). The pause is not counted (2 per 30 s would be the floor, 0.5).
    const c = throttle({ key: `${prefix}:measured` });
    await c.acquire(new AbortController().signal);
    await c.accepted();
    await c.acquire(new AbortController().signal);
    await c.accepted();
    const refusedTicket = await c.acquire(new AbortController().signal);
    const { requestsPerSecond } = await c.refused(30_000, refusedTicket);
    expect(requestsPerSecond).toBeLessThanOrEqual(0.75 * 2);
    // Even if this machine took up to 1.5 s between those calls: 0.75 × 2 / 1.5.
    expect(requestsPerSecond).toBeGreaterThanOrEqual(1);

    // The floor: a long pause and few answers never push it below minFactor of the ceiling.
    const d = throttle({ key: `${prefix}:floor`, minFactor: 1 / 4 });
    await d.accepted();
    await expect(d.refused(600_000, await d.acquire(new AbortController().signal))).resolves.toEqual({ requestsPerSecond: 2, lowered: true });
  });

  it('measures the rate Google was answering over the answers only: time idle before a burst is not counted', async () => {
    const t = throttle();
    const redis = connections[0]!;
    const [seconds, micros] = await redis.time();
    const now = Number(seconds) * 1000 + Number(micros) / 1000;
    // One answer 30 s ago, then nothing until a burst of four answered in the last 0.3 s (the
    // sorted set's members are unique strings, scores the answer times by Redis's clock).
    const answered = [now - 30_000, now - 300, now - 200, now - 100, now];
    await redis.zadd(`${prefix}:rate-limit:google-ads:accepted`, ...answered.flatMap((at, i) => [at.toFixed(3), `${at.toFixed(3)}:${i}`]));
    const { requestsPerSecond, lowered } = await t.refused(5000, await t.acquire(new AbortController().signal));
    expect(lowered).toBe(true);
    // 4 per second answered (the burst; 5 over 30 s would be 0.17/s) → 3/4 of it, under half of 8.
    // At least 2 even if this machine took a second between the lines above.
    expect(requestsPerSecond).toBeLessThanOrEqual(3);
    expect(requestsPerSecond).toBeGreaterThanOrEqual(2);
    // What the lowering stored is the rate in force.
    expect(Number(await redis.hget(`${prefix}:rate-limit:google-ads:pace`, 'rate'))).toBe(requestsPerSecond);
  });

  it('doubles the rate back once per recovery period without refusals, up to the ceiling', async () => {
    const t = throttle({ recoveryMs: 200 });
    await t.refused(0, await t.acquire(new AbortController().signal));
    expect((await t.state()).requestsPerSecond).toBeLessThan(8);
    // Long enough for every step to recover, whatever the machine's load.
    await sleep(1500);
    expect((await t.state()).requestsPerSecond).toBe(8);
  });

  it('a caller already waiting when a refusal comes is let through after the new pause, at the lowered rate', async () => {
    const a = throttle({ requestsPerSecond: 0.5 });
    const b = throttle({ requestsPerSecond: 0.5 });
    const { grantedAt: first } = await a.acquire(new AbortController().signal);
    // b waits for its spacing (2.1 s at 0.5/s) behind a's request; meanwhile that request is
    // refused with a 1.5 s pause, which halves the rate to 0.25/s.
    const waiting = b.acquire(new AbortController().signal);
    const [seconds, micros] = await connections[0]!.time();
    const refusedAt = Number(seconds) * 1000 + Number(micros) / 1000;
    await expect(a.refused(1500, { grantedAt: first })).resolves.toEqual({ requestsPerSecond: 0.25, lowered: true });
    const { grantedAt } = await waiting;
    // Redis's clock: not before the pause's end, and spaced at the rate in force when let through.
    expect(grantedAt).toBeGreaterThanOrEqual(refusedAt + 1500);
    expect(grantedAt).toBeGreaterThanOrEqual(first + 4000);
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
