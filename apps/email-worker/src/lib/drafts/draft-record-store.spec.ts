import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { DraftRecordStore } from './draft-record-store';

describe('DraftRecordStore (real Redis)', () => {
  const url = testRedisUrl();
  let prefix: string;
  let redis: Redis;
  let store: DraftRecordStore;
  beforeEach(() => {
    prefix = uniquePrefix('drafts');
    redis = new Redis(url);
    store = new DraftRecordStore(redis, prefix, 60_000);
  });
  afterEach(async () => {
    await redis.quit();
    await deletePrefix(url, prefix);
  });

  it('reads back what it saved, versioned and kept for its TTL', async () => {
    await store.saveMailbox('job-1', { accountId: 'acc-1', provider: 'gmail' });
    await store.saveDraftId('job-1', 'draft-1');
    expect(await store.load('job-1')).toEqual({ reply: null, draftId: 'draft-1', mailbox: { accountId: 'acc-1', provider: 'gmail' } });
    expect(await redis.hget(`${prefix}:draft:job-1`, 'version')).toBe('1');
    expect(await redis.pttl(`${prefix}:draft:job-1`)).toBeGreaterThan(0);
  });

  it('a save whose HSET fails inside the MULTI rejects with the Redis error instead of passing as recorded', async () => {
    await redis.set(`${prefix}:draft:job-2`, 'not a hash');
    await expect(store.saveDraftId('job-2', 'draft-2')).rejects.toThrow(/WRONGTYPE/);
    expect(await redis.get(`${prefix}:draft:job-2`)).toBe('not a hash');
  });
});
