import { Job, Worker } from 'bullmq';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { JobProducer } from './job-producer';
import { ioRedisOptions, redisSettingsFromEnv } from './redis-env';

// BullMQ's add with a jobId already taken keeps the stored job but returns a Job carrying the
// new call's data, so a caller could not tell its add was dropped. The producer returns the
// stored job instead, marked `alreadyExisted`.

const url = testRedisUrl();
const redis = redisSettingsFromEnv({ REDIS_URL: url });
const call = (callId: string, phoneNumber = '+14155550123') => ({ userId: 'u', callId, phoneNumber, assistantId: 'a' });

describe('JobProducer with a jobId already taken', () => {
  let prefix: string;
  let producer: JobProducer;

  beforeEach(() => {
    prefix = uniquePrefix('dup');
    producer = new JobProducer({ redis, prefix });
  });
  afterEach(async () => {
    await producer.close();
    await deletePrefix(url, prefix);
  });

  it('add returns the job Redis kept, with its own data, marked alreadyExisted', async () => {
    const first = await producer.add('VOICE_CALL', call('first'), { jobId: 'call-1' });
    expect(first.alreadyExisted).toBe(false);
    expect(first.data.callId).toBe('first');

    const second = await producer.add('VOICE_CALL', call('second', '+442071838750'), { jobId: 'call-1', delay: 60_000 });
    expect(second.alreadyExisted).toBe(true);
    expect(second.id).toBe('call-1');
    expect(second.data).toEqual(call('first'));
    expect(second.timestamp).toBe(first.timestamp);
    expect(await producer.getQueueStats('voice')).toMatchObject({ waiting: 1, delayed: 0 });

    // Same data again: still the earlier job, still marked (told apart by creation time).
    const third = await producer.add('VOICE_CALL', call('first'), { jobId: 'call-1' });
    expect(third.alreadyExisted).toBe(true);
    // Not a field of the job: BullMQ's JSON of it is unchanged.
    expect(Object.keys(third.toJSON())).not.toContain('alreadyExisted');
  });

  it('jobs without a jobId are always new', async () => {
    const a = await producer.add('VOICE_CALL', call('x'));
    const b = await producer.add('VOICE_CALL', call('x'));
    expect([a.alreadyExisted, b.alreadyExisted]).toEqual([false, false]);
    expect(a.id).not.toBe(b.id);
  });

  it('addBulk marks each job: taken before, taken earlier in the same call, or new', async () => {
    await producer.add('VOICE_CALL', call('old'), { jobId: 'call-old' });
    const jobs = await producer.addBulk('VOICE_CALL', [
      { data: call('new'), opts: { jobId: 'call-new' } },
      { data: call('again'), opts: { jobId: 'call-old' } },
      { data: call('plain') },
      { data: call('new'), opts: { jobId: 'call-new' } },
    ]);
    expect(jobs.map((j) => j.alreadyExisted)).toEqual([false, true, false, true]);
    expect(jobs.map((j) => j.data.callId)).toEqual(['new', 'old', 'plain', 'new']);
    expect((await producer.getQueueStats('voice')).waiting).toBe(3);
  });

  it('gives the earlier job its contract types back (dates as Date)', async () => {
    await producer.add('EMAIL_SYNC', { userId: 'u', accountId: 'a', emailProvider: 'gmail', syncSince: '2024-01-01' }, { jobId: 'sync-a' });
    const again = await producer.add('EMAIL_SYNC', { userId: 'u', accountId: 'a', emailProvider: 'gmail' }, { jobId: 'sync-a' });
    expect(again.alreadyExisted).toBe(true);
    expect(again.data.syncSince).toEqual(new Date('2024-01-01T00:00:00Z'));
  });

  it('after the earlier job completed and was removed, the same jobId makes a new job', async () => {
    const worker = new Worker('voice', async () => ({ done: true }), { connection: ioRedisOptions(redis, 'worker'), prefix });
    try {
      const first = await producer.add('VOICE_CALL', call('first'), { jobId: 'call-r' });
      await waitFor('first job completed', async () => (await producer.queue('voice').getJobState('call-r')) === 'completed');
      // While the completed job is kept (24 h by default), the jobId still blocks a new add.
      expect((await producer.add('VOICE_CALL', call('second'), { jobId: 'call-r' })).alreadyExisted).toBe(true);
      // What removeOnComplete does once the job is old enough.
      await producer.queue('voice').clean(0, 100, 'completed');
      expect(await Job.fromId(producer.queue('voice'), 'call-r')).toBeUndefined();
      await worker.pause();
      const third = await producer.add('VOICE_CALL', call('third'), { jobId: 'call-r' });
      expect(third.alreadyExisted).toBe(false);
      expect(third.data.callId).toBe('third');
      expect(third.timestamp).not.toBe(first.timestamp);
    } finally {
      await worker.close();
    }
  });
});
