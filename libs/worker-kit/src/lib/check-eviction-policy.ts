import type { Redis } from 'ioredis';
import type { Logger } from './logger-type';

/**
 * Warns when Redis may evict keys: BullMQ needs `maxmemory-policy noeviction`, or jobs can
 * vanish under memory pressure (BullMQ guide, "Going to production"). Managed Redis services
 * that forbid `CONFIG GET` are logged at debug and otherwise ignored.
 * @returns the policy read, or null when it could not be read.
 */
export async function checkEvictionPolicy(client: Redis, log: Logger): Promise<string | null> {
  try {
    const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply?.[1] ?? null;
    if (policy && policy !== 'noeviction') {
      log.warn(
        { maxmemoryPolicy: policy },
        `Redis maxmemory-policy is "${policy}", not "noeviction": Redis may evict job keys under memory pressure`,
      );
    }
    return policy;
  } catch (err) {
    log.debug({ err }, 'could not read maxmemory-policy');
    return null;
  }
}
