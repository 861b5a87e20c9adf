import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { CallRecordStore } from '../lib/call-record-store';

/** A call record store on the test Redis under a prefix of its own. */
export interface CallRecordsOnRedis {
  /** A plain connection, for writing records by hand. */
  readonly redis: Redis;
  readonly records: CallRecordStore;
  /** Deletes every key under the prefix and closes the connection. */
  close(): Promise<void>;
}

/** Opens a {@link CallRecordsOnRedis} (records kept 60 s), isolated by a unique prefix from `label`. */
export function openCallRecordsOnRedis(label: string): CallRecordsOnRedis {
  const redis = new Redis(testRedisUrl());
  const prefix = uniquePrefix(label);
  return {
    redis,
    records: new CallRecordStore(redis, prefix, 60_000),
    async close() {
      await deletePrefix(testRedisUrl(), prefix);
      await redis.quit();
    },
  };
}
