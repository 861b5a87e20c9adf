import type { Redis } from 'ioredis';
import type { FakeVapiServer } from '@jobs/test-support';
import { createLogger, LockLostError } from '@jobs/worker-kit';
import type { CallRecordStore } from '../lib/call-record-store';
import { openCallRecordsOnRedis, type CallRecordsOnRedis } from '../test-support/call-records-on-redis';
import { SdkVapiCalls } from '../lib/vapi-calls';
import { PHONE_NUMBER_ID, VAPI_API_KEY, startVapiFake } from '../test-support/voice-harness';
import { placeCall, type PlaceCallContext } from './place-call';
import type { VoiceCallDeps } from './voice-call-deps';

const data = { userId: 'user-1', callId: 'call-1', phoneNumber: '+1 415 555 0123', assistantId: 'assistant-1' };

describe('placeCall (real Vapi SDK, local Vapi server, real Redis)', () => {
  let vapi: FakeVapiServer;
  let onRedis: CallRecordsOnRedis;
  let redis: Redis;
  let records: CallRecordStore;
  let deps: VoiceCallDeps;
  let progress: object[];
  beforeEach(async () => {
    vapi = await startVapiFake();
    onRedis = openCallRecordsOnRedis('place-call');
    ({ redis, records } = onRedis);
    progress = [];
    deps = {
      vapi: new SdkVapiCalls({ baseUrl: vapi.origin, apiKey: VAPI_API_KEY, timeoutMs: 10_000 }),
      records,
      phoneNumberId: PHONE_NUMBER_ID,
      callingWindow: { startMinute: 0, endMinute: 24 * 60, days: new Set([0, 1, 2, 3, 4, 5, 6]) },
      defaultTimeZone: 'UTC',
      pollIntervalMs: 1000,
      // Extended every 100 ms: a lock taken away is noticed within the test's first extension.
      placingLockTtlMs: 300,
      maxCallDurationMs: 3_600_000,
      webhook: null,
    };
  });
  afterEach(async () => {
    await vapi.close();
    await onRedis.close();
  });

  const ctx = async (): Promise<PlaceCallContext> => ({
    data,
    record: await records.load(data.callId),
    signal: new AbortController().signal,
    log: createLogger({ level: 'silent' }),
    updateProgress: async (p) => void progress.push(p),
  });

  it('creates the call with our callId in its metadata and records Vapi\'s id before returning', async () => {
    const record = await placeCall(deps, await ctx());
    expect(vapi.calls).toHaveLength(1);
    expect(vapi.calls[0]?.assistantOverrides).toMatchObject({ metadata: { callId: 'call-1', userId: 'user-1' } });
    expect(record.vapiCallId).toBe(vapi.calls[0]?.id);
    expect((await records.load(data.callId)).vapiCallId).toBe(vapi.calls[0]?.id);
  });

  it('follows the call an earlier attempt placed but did not record; creates none', async () => {
    const first = await placeCall(deps, await ctx());
    // The earlier attempt died between Vapi's answer and the record: only "placing" is left.
    await redis.hdel(records.key(data.callId), 'vapiCallId');
    const again = await placeCall(deps, await ctx());
    expect(again.vapiCallId).toBe(first.vapiCallId);
    expect(vapi.calls).toHaveLength(1);
  });

  it('the placing lock lost while the lookup is in flight stops placing: the lookup is aborted, no call is created', async () => {
    await records.markPlacing(data.callId, Date.now());
    const held = vapi.holdNext({ method: 'GET', pathPattern: /^\/call$/ });
    const placing = placeCall(deps, await ctx()).then(
      () => null,
      (err: unknown) => err,
    );
    await held.reached;
    // Another worker's view: the lock expired (this process stalled) and is someone else's now.
    await redis.set(records.placingLockKey(data.callId), 'another-workers-token', 'PX', 60_000);
    // Resolves before the held answer is released: the lock's signal aborted the lookup.
    const err = await placing;
    expect(err).toBeInstanceOf(LockLostError);
    held.release();
    expect(vapi.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(vapi.calls).toHaveLength(0);
    expect(await records.load(data.callId)).toMatchObject({ vapiCallId: null });
    // The lock is the other holder's still: the lost holder did not release it.
    expect(await redis.get(records.placingLockKey(data.callId))).toBe('another-workers-token');
  });

  it('waits while another job holds the placing lock, and dials nothing', async () => {
    await redis.set(records.placingLockKey(data.callId), 'another-workers-token', 'PX', 60_000);
    await expect(placeCall(deps, await ctx())).rejects.toMatchObject({ name: 'WaitError', message: 'another job is placing call call-1' });
    expect(vapi.calls).toHaveLength(0);
  });
});
