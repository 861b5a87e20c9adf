import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { SyncStateStore } from './sync-state-store';

describe('SyncStateStore (real Redis)', () => {
  const url = testRedisUrl();
  const mailbox = { userId: 'user-1', accountId: 'acc-1', provider: 'gmail' } as const;
  let redis: Redis;
  let store: SyncStateStore;
  let prefix: string;
  beforeEach(() => {
    prefix = uniquePrefix('sync-state');
    redis = new Redis(url);
    store = new SyncStateStore(redis, prefix);
  });
  afterEach(async () => {
    await redis.quit();
    await deletePrefix(url, prefix);
  });

  it('complete replaces the cursor and drops the checkpoint', async () => {
    await store.saveCheckpoint(mailbox, { token: 'page-2', fullSync: true, resyncReason: null, startedAt: '2026-01-02T03:04:05.678Z' });
    await store.complete(mailbox, 'history-9', new Date('2026-01-02T03:04:05.678Z'));
    expect(await store.load(mailbox)).toEqual({ cursor: 'history-9', checkpoint: null, lastSyncStartedAt: new Date('2026-01-02T03:04:05.678Z') });
  });

  it('a complete whose HSET fails inside the MULTI rejects with the Redis error instead of passing as completed', async () => {
    await redis.set(store.keyOf(mailbox), 'not a hash');
    await expect(store.complete(mailbox, 'history-9', new Date())).rejects.toThrow(/WRONGTYPE/);
    expect(await redis.get(store.keyOf(mailbox))).toBe('not a hash');
  });
});
