import type { Redis } from 'ioredis';
import { createLogger } from '@jobs/worker-kit';
import { openCallRecordsOnRedis, type CallRecordsOnRedis } from '../test-support/call-records-on-redis';
import type { CallRecordStore } from './call-record-store';
import { startVapiWebhookServer, type VapiWebhookServer } from './vapi-webhook-server';

const SECRET = 'webhook-secret-for-this-spec-0001';

describe('Vapi webhook receiver (real HTTP, real Redis)', () => {
  let onRedis: CallRecordsOnRedis;
  let redis: Redis;
  let records: CallRecordStore;
  let server: VapiWebhookServer;
  let woken: string[];
  beforeEach(async () => {
    onRedis = openCallRecordsOnRedis('vapi-webhook');
    ({ redis, records } = onRedis);
    woken = [];
    server = await startVapiWebhookServer({
      host: '127.0.0.1',
      port: 0,
      secret: SECRET,
      records,
      log: createLogger({ level: 'silent' }),
      wake: async (jobId) => {
        woken.push(jobId);
        return true;
      },
    });
    await records.setJob('call-1', 'job-1');
    await records.setVapiCallId('call-1', 'vapi-1');
  });
  afterEach(async () => {
    await server.close();
    await onRedis.close();
  });

  const post = (body: unknown) =>
    fetch(`http://127.0.0.1:${server.port}/vapi/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const report = (extra: Record<string, unknown>) => ({
    message: {
      type: 'end-of-call-report',
      endedReason: 'customer-ended-call',
      artifact: { transcript: 'AI: hello', recordingUrl: 'https://rec/1.wav', messages: [] },
      analysis: { summary: 'said hello' },
      cost: 0.2,
      call: { id: 'vapi-1', assistantOverrides: { metadata: { callId: 'call-1' } } },
      ...extra,
    },
  });

  it('keeps a well-formed end-of-call report on the record (the parts the result needs) and wakes the job', async () => {
    const res = await post(report({}));
    expect(res.status).toBe(200);
    expect((await records.load('call-1')).endReport).toEqual({
      endedReason: 'customer-ended-call',
      artifact: { transcript: 'AI: hello', recordingUrl: 'https://rec/1.wav' },
      analysis: { summary: 'said hello' },
      cost: 0.2,
    });
    expect(woken).toEqual(['job-1']);
  });

  it.each([
    ['a cost that is not a number', report({ cost: 'free' }), 'message.cost'],
    ['a transcript that is not text', report({ artifact: { transcript: 42 } }), 'message.artifact.transcript'],
    ['a callId that is not text', report({ call: { id: 'vapi-1', assistantOverrides: { metadata: { callId: 7 } } } }), 'message.call.assistantOverrides.metadata.callId'],
    ['no message type', { message: { call: { id: 'vapi-1' } } }, 'message.type'],
    ['no message', { type: 'end-of-call-report' }, 'message'],
  ])('answers 400 naming the field for %s; the record is untouched and nothing is woken', async (_what, body, field) => {
    const before = await redis.hgetall(records.key('call-1'));
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'malformed server message', field });
    expect(await redis.hgetall(records.key('call-1'))).toEqual(before);
    expect(woken).toEqual([]);
  });

  it('answers 400 to a body that is not JSON; 200 to a message type it does not act on, storing nothing', async () => {
    expect((await post('{"message":')).status).toBe(400);
    const before = await redis.hgetall(records.key('call-1'));
    expect((await post({ message: { type: 'transcript', call: { id: 'vapi-1', assistantOverrides: { metadata: { callId: 'call-1' } } } } })).status).toBe(200);
    expect(await redis.hgetall(records.key('call-1'))).toEqual(before);
    expect(woken).toEqual([]);
  });

  it('leaves a record it cannot read as it is (500, Vapi retries) rather than writing over it', async () => {
    await redis.hset(records.key('call-1'), 'v', '2');
    const before = await redis.hgetall(records.key('call-1'));
    expect((await post(report({}))).status).toBe(500);
    expect(await redis.hgetall(records.key('call-1'))).toEqual(before);
    expect(woken).toEqual([]);
  });
});
