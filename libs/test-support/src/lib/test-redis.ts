import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The Redis the tests use: `REDIS_URL` when set, else `redis://127.0.0.1:6379`.
 * Tests isolate themselves by a unique BullMQ prefix ({@link uniquePrefix}), never by flushing.
 */
export function testRedisUrl(): string {
  return process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
}

/** A BullMQ key prefix no other test uses, e.g. `test-contracts-1a2b3c4d`. */
export function uniquePrefix(label = 'test'): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}

async function scanPrefix(url: string, prefix: string, onKeys: (client: Redis, keys: string[]) => Promise<number>): Promise<number> {
  const client = new Redis(url);
  try {
    let cursor = '0';
    let total = 0;
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) total += await onKeys(client, keys);
    } while (cursor !== '0');
    return total;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `prefix:` (SCAN + UNLINK); returns how many there were. */
export function deletePrefix(url: string, prefix: string): Promise<number> {
  return scanPrefix(url, prefix, (client, keys) => client.unlink(...keys));
}

/**
 * Counts the keys under `prefix:`. With `ignoreQueueMeta`, a queue's `<prefix>:<queue>:meta`
 * hash is not counted: BullMQ's `Queue` writes it (version, event-stream bound) on its own,
 * asynchronously, once its connection is ready, whether or not a job was ever added — so "nothing
 * stored" means no key but that one, and a count that included it would depend on timing.
 */
export function countPrefixKeys(url: string, prefix: string, options: { ignoreQueueMeta?: boolean } = {}): Promise<number> {
  return scanPrefix(url, prefix, async (_client, keys) => (options.ignoreQueueMeta ? keys.filter((key) => !/^[^:]+:meta$/.test(key.slice(prefix.length + 1))).length : keys.length));
}
