import type { BenchCleanup } from './bench-cleanup';
import type { BenchRedis } from './bench-redis';

/**
 * Starts a {@link BenchRedis} with `start`, registered with `cleanup` before it is even up (a
 * Ctrl-C during the start stops it once started), runs `use` on it, and stops it whatever `use`
 * did; the registration is dropped once stopped.
 * @returns what `use` resolved with.
 * @throws what `start` or `use` threw (after the stop).
 */
export async function withBenchRedis<T>(cleanup: BenchCleanup, name: string, start: () => Promise<BenchRedis>, use: (redis: BenchRedis) => Promise<T>): Promise<T> {
  const starting = start();
  const forget = cleanup.add(name, async () => (await starting.catch(() => undefined))?.stop());
  const redis = await starting.catch((err: unknown) => {
    forget();
    throw err;
  });
  try {
    return await use(redis);
  } finally {
    await redis.stop();
    forget();
  }
}
