import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startThrowawayRedis } from '@jobs/test-support';
import { startSide, type BenchSide } from './worker-throughput';

/** Sum of `calls=` over `INFO commandstats`. */
async function totalCalls(redis: Redis): Promise<number> {
  const text = await redis.info('commandstats');
  let total = 0;
  for (const match of text.matchAll(/calls=(\d+)/g)) total += Number(match[1]);
  return total;
}

/**
 * P3 (idle), one run: the kit and the raw worker each on a private redis-server of its own, at
 * the same time (idle work does not compete for much), nothing enqueued; after `settleMs` the
 * `INFO commandstats` totals are read, then again `windowMs` later. Returns commands per minute
 * per side, the reading connection's own INFO calls taken out.
 */
export async function measureIdleCommands(windowMs: number, settleMs = 3000): Promise<Record<BenchSide, number>> {
  const sides: BenchSide[] = ['kit', 'raw'];
  const servers = await Promise.all(sides.map(() => startThrowawayRedis()));
  const readers = servers.map((s) => new Redis(s.url));
  const workers = sides.map((side, i) => startSide(side, { redisUrl: servers[i].url, prefix: `bench-${randomBytes(3).toString('hex')}`, concurrency: 5 }));
  try {
    await new Promise((r) => setTimeout(r, settleMs));
    const before = await Promise.all(readers.map(totalCalls));
    await new Promise((r) => setTimeout(r, windowMs));
    const after = await Promise.all(readers.map(totalCalls));
    // The second INFO is counted by Redis before it answers; the first one is in `before`.
    const perMinute = (i: number) => ((after[i] - before[i] - 1) * 60_000) / windowMs;
    return { kit: perMinute(0), raw: perMinute(1) };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    readers.forEach((r) => r.disconnect());
    await Promise.all(servers.map((s) => s.stop()));
  }
}
