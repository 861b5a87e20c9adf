import type { Redis } from 'ioredis';
import { openCallRecordsOnRedis, type CallRecordsOnRedis } from '../test-support/call-records-on-redis';
import type { CallRecordStore } from './call-record-store';
import { CallRecordCorruptError } from './errors';

describe('CallRecordStore (real Redis)', () => {
  let onRedis: CallRecordsOnRedis;
  let redis: Redis;
  let store: CallRecordStore;
  beforeEach(() => {
    onRedis = openCallRecordsOnRedis('call-records');
    ({ redis, records: store } = onRedis);
  });
  afterEach(() => onRedis.close());

  const loadError = (callId: string) => store.load(callId).then(() => null, (err: unknown) => err);

  it('writes version 1 with every field and reads back what it wrote', async () => {
    expect(await store.load('c1')).toEqual({ vapiCallId: null, placingSince: null, jobId: null, endReport: null });
    await store.setJob('c1', 'job-1');
    await store.markPlacing('c1', 1_700_000_000_123);
    await store.setVapiCallId('c1', 'vapi-1');
    await store.setEndReport('c1', { endedReason: 'customer-ended-call', artifact: { transcript: 'hi' }, analysis: { summary: null }, cost: 0.12 });
    expect(await redis.hget(store.key('c1'), 'v')).toBe('1');
    expect(await store.load('c1')).toEqual({
      vapiCallId: 'vapi-1',
      placingSince: 1_700_000_000_123,
      jobId: 'job-1',
      endReport: { endedReason: 'customer-ended-call', artifact: { transcript: 'hi' }, analysis: { summary: null }, cost: 0.12 },
    });
  });

  it('a write whose HSET fails inside the MULTI rejects with the Redis error instead of passing as written', async () => {
    await redis.set(store.key('c4'), 'not a hash');
    await expect(store.setVapiCallId('c4', 'vapi-4')).rejects.toThrow(/WRONGTYPE/);
    expect(await redis.get(store.key('c4'))).toBe('not a hash');
  });

  it('reads a record written before versioning (same fields, no v)', async () => {
    await redis.hset(store.key('c2'), { vapiCallId: 'vapi-2', placingSince: '1700000000000' });
    await expect(store.load('c2')).resolves.toMatchObject({ vapiCallId: 'vapi-2', placingSince: 1_700_000_000_000 });
  });

  it.each([
    ['an unknown version', { v: '2', vapiCallId: 'vapi-3' }, 'v: unknown version (this worker reads v1)'],
    ['a placingSince that is not a time', { v: '1', placingSince: 'yesterday' }, 'placingSince: expected ms since the epoch'],
    ['an endReport that is not JSON', { v: '1', endReport: '{"endedReason":' }, 'endReport: not JSON'],
    ['an endReport field of the wrong type', { v: '1', endReport: '{"cost":"free"}' }, 'endReport.cost: '],
    ['a field it does not know', { v: '1', placedBy: 'someone' }, 'placedBy'],
  ])('refuses %s with CallRecordCorruptError naming the key and the field', async (_what, hash, problem) => {
    await redis.hset(store.key('c3'), hash);
    const err = await loadError('c3');
    expect(err).toBeInstanceOf(CallRecordCorruptError);
    expect((err as CallRecordCorruptError).key).toBe(store.key('c3'));
    expect((err as Error).message).toContain(`Call record ${store.key('c3')} is unreadable: `);
    expect((err as Error).message).toContain(problem);
  });
});
