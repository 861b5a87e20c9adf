import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { BatchStateStore } from './batch-state-store';
import { BatchRecordCorruptError } from './errors';

describe('BatchStateStore (real Redis)', () => {
  const url = testRedisUrl();
  let prefix: string;
  let redis: Redis;
  let store: BatchStateStore;
  beforeEach(() => {
    prefix = uniquePrefix('batches');
    redis = new Redis(url);
    store = new BatchStateStore(redis, prefix, 60_000);
  });
  afterEach(async () => {
    await redis.quit();
    await deletePrefix(url, prefix);
  });

  it('reads back what it saved, stamped with the layout version', async () => {
    await store.save('7:1', 0, { runId: null, outcomes: null, startingSince: 1_700_000_000_000 });
    await store.save('7:1', 1, { runId: 'run-1', outcomes: [{ leadId: 'a', status: 'not_found' }] });
    expect(JSON.parse((await redis.hget(`${prefix}:job:7:1`, '1')) as string)).toMatchObject({ v: 1 });
    expect(await store.loadAll('7:1')).toEqual(
      new Map([
        [0, { runId: null, outcomes: null, startingSince: 1_700_000_000_000 }],
        [1, { runId: 'run-1', outcomes: [{ leadId: 'a', status: 'not_found' }], startingSince: null }],
      ]),
    );
  });

  it('a save whose HSET fails inside the MULTI rejects with the Redis error instead of passing as recorded', async () => {
    await redis.set(`${prefix}:job:7:1`, 'not a hash');
    await expect(store.save('7:1', 0, { runId: 'run-1', outcomes: null })).rejects.toThrow(/WRONGTYPE/);
  });

  it('reads a record written before versioning (no v) as version 1', async () => {
    await redis.hset(`${prefix}:job:7:1`, '0', JSON.stringify({ runId: 'run-1', outcomes: null }));
    expect((await store.loadAll('7:1')).get(0)).toEqual({ runId: 'run-1', outcomes: null, startingSince: null });
  });

  it.each([
    ['not JSON', '0', '{"runId": "run-1", "outc', /field 0 is unreadable: not JSON/],
    ['an unknown version', '0', JSON.stringify({ v: 2, runId: null, outcomes: null }), /field 0 is unreadable: v: unknown version \(this worker reads v1\)/],
    ['a field of the wrong type', '3', JSON.stringify({ v: 1, runId: 42, outcomes: null }), /field 3 is unreadable: runId: /],
    ['an outcome of no known status', '0', JSON.stringify({ v: 1, runId: 'r', outcomes: [{ leadId: 'a', status: 'done' }] }), /field 0 is unreadable: outcomes\.0\.status/],
    ['an unknown field', '0', JSON.stringify({ v: 1, runId: null, outcomes: null, cost: 3 }), /field 0 is unreadable: .*cost/],
    ['a field that is no batch index', 'x', JSON.stringify({ v: 1, runId: null, outcomes: null }), /field x is unreadable: not a batch index/],
  ])('refuses a record with %s, naming the key and field', async (_what, field, value, message) => {
    await redis.hset(`${prefix}:job:7:1`, field, value);
    const err = await store.loadAll('7:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchRecordCorruptError);
    expect((err as BatchRecordCorruptError).key).toBe(`${prefix}:job:7:1`);
    expect((err as BatchRecordCorruptError).field).toBe(field);
    expect((err as Error).message).toMatch(message);
  });
});
