import { Redis } from 'ioredis';
import { testRedisUrl, waitFor, type FakeVapiServer } from '@jobs/test-support';
import { PHONE_NUMBER_ID, startVapiFake, startVoiceHarness, type VoiceHarness } from './test-support/voice-harness';

const call = (n: number, extra: Record<string, unknown> = {}) => ({
  userId: 'user-1',
  callId: `call-${n}`,
  phoneNumber: '+1 (415) 555-0123',
  assistantId: 'assistant-1',
  metadata: { leadId: `lead-${n}` },
  ...extra,
});

describe('VOICE_CALL (real Vapi SDK, local Vapi server, real Redis)', () => {
  let vapi: FakeVapiServer;
  let harness: VoiceHarness;
  afterEach(async () => {
    await harness.close();
    await vapi.close();
  });

  it('places the call and follows it from queued to ended; the outcome is the job result', async () => {
    vapi = await startVapiFake();
    harness = await startVoiceHarness(vapi);
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(1));
    const result = await job.waitUntilFinished(harness.events, 20_000);
    expect(vapi.calls).toHaveLength(1);
    const placed = vapi.calls[0];
    expect(placed).toMatchObject({ assistantId: 'assistant-1', phoneNumberId: PHONE_NUMBER_ID, customer: { number: '+14155550123' } });
    expect(placed?.assistantOverrides).toMatchObject({ metadata: { leadId: 'lead-1', callId: 'call-1', userId: 'user-1' } });
    expect(result).toMatchObject({ vapiCallId: placed?.id, status: 'ended', endedReason: 'customer-ended-call' });
    expect(result.transcript).toEqual(expect.any(String));
    expect(result.summary).toEqual(expect.any(String));
    expect(result.recordingUrl).toMatch(/^https:\/\//);
    expect(result.cost).toBeGreaterThan(0);
    expect(result.durationSeconds).toBeGreaterThan(0);
  });

  it.each([
    ['busy', 'customer-busy'],
    ['no-answer', 'customer-did-not-answer'],
  ] as const)('a %s call ends with its reason as the result (not a failure)', async (outcome, reason) => {
    vapi = await startVapiFake();
    vapi.setOutcome('+14155550123', outcome);
    harness = await startVoiceHarness(vapi);
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(2));
    await expect(job.waitUntilFinished(harness.events, 20_000)).resolves.toMatchObject({ status: 'ended', endedReason: reason });
  });

  it('an invalid number fails at once, without retries, naming phoneNumber; nothing is dialled', async () => {
    vapi = await startVapiFake();
    harness = await startVoiceHarness(vapi);
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(3, { phoneNumber: '+1 555 12' }), { attempts: 3 });
    await expect(job.waitUntilFinished(harness.events, 30_000)).rejects.toThrow(/^phoneNumber: /);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
    expect(vapi.calls).toHaveLength(0);
  });

  it('three calls in progress hold no worker slot: a fourth starts at once; Vapi\'s webhooks end them without waiting for the next check', async () => {
    vapi = await startVapiFake();
    vapi.setTimings({ manual: true });
    // Checks every 10 minutes: only the webhook can finish these jobs within the test.
    harness = await startVoiceHarness(vapi, { VOICE_POLL_INTERVAL_MS: '600000' });
    const worker = await harness.startWorker();
    const jobs = await Promise.all([1, 2, 3].map((n) => harness.queue.add('VOICE_CALL', call(10 + n))));
    await waitFor('three calls placed', () => vapi.calls.length === 3);
    for (const c of vapi.calls) await vapi.advance(c.id, 'in-progress');
    await waitFor('the three jobs waiting', async () => (await harness.queue.getDelayedCount()) === 3);
    expect(worker.activeJobCount()).toBe(0);
    // The worker runs 3 jobs at once; with three calls in progress a fourth still starts.
    const fourth = await harness.queue.add('VOICE_CALL', call(14));
    await waitFor('the fourth call placed', () => vapi.calls.length === 4);
    for (const c of vapi.calls) await vapi.advance(c.id, 'ended');
    const results = await Promise.all([...jobs, fourth].map((j) => j.waitUntilFinished(harness.events, 30_000)));
    expect(results.map((r) => r.status)).toEqual(['ended', 'ended', 'ended', 'ended']);
    expect(vapi.webhookDeliveries.filter((d) => d.type === 'end-of-call-report').every((d) => d.status === 200)).toBe(true);
  });

  it('the webhook receiver refuses a message without the secret, and it wakes nothing', async () => {
    vapi = await startVapiFake();
    harness = await startVoiceHarness(vapi);
    await harness.startWorker();
    const forged = await fetch(harness.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vapi-secret': 'guess' },
      body: JSON.stringify({ message: { type: 'end-of-call-report', call: { id: 'x', assistantOverrides: { metadata: { callId: 'call-1' } } } } }),
    });
    expect(forged.status).toBe(401);
    const none = await fetch(harness.webhookUrl, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(harness.logs.filter((l) => l['msg'] === 'Vapi webhook refused: missing or wrong X-Vapi-Secret')).toHaveLength(2);
    expect(harness.logs.some((l) => l['msg'] === 'Vapi server message')).toBe(false);
  });

  it('outside calling hours in the callee\'s zone the job waits for them, and dials nothing', async () => {
    vapi = await startVapiFake();
    // A window that is never open now: one minute a week, a day other than today in New York.
    const nyDay = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short' }).format(new Date()).toLowerCase();
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const otherDay = days[(days.indexOf(nyDay) + 3) % 7] as string;
    harness = await startVoiceHarness(vapi, { VOICE_CALLING_HOURS: '09:00-09:01', VOICE_CALLING_DAYS: otherDay });
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(20, { phoneNumber: '+1 212 555 1234' }));
    await waitFor('the job waiting', async () => (await harness.queue.getJobState(job.id as string)) === 'delayed');
    const waiting = await harness.queue.getJob(job.id as string);
    const until = Date.parse((waiting?.progress as { until: string }).until);
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(until);
    expect(local.toLowerCase().replace(',', '')).toBe(`${otherDay} 09:00`);
    expect(until - Date.now()).toBeGreaterThan(24 * 3_600_000);
    expect(vapi.calls).toHaveLength(0);
  });

  it('Vapi\'s 429 and its concurrency limit delay the job without using attempts; exactly one call rings', async () => {
    vapi = await startVapiFake();
    vapi.throttle({ count: 1, retryAfterSeconds: 1, method: 'POST', pathPattern: /^\/call$/ });
    vapi.setConcurrencyLimit(0);
    harness = await startVoiceHarness(vapi);
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(30), { attempts: 1 });
    await waitFor('a call refused for the concurrency limit', () => vapi.calls.length >= 1, { timeoutMs: 30_000 });
    vapi.setConcurrencyLimit(null);
    const result = await job.waitUntilFinished(harness.events, 30_000);
    expect(result.endedReason).toBe('customer-ended-call');
    const rang = vapi.calls.filter((c) => c.endedReason !== 'call.start.error-subscription-concurrency-limit-reached');
    expect(rang).toHaveLength(1);
    expect(result.vapiCallId).toBe(rang[0]?.id);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
  }, 120_000);

  it('a failed read after placing checks again later and follows the same call; it never places a second', async () => {
    vapi = await startVapiFake();
    vapi.setTimings({ queuedMs: 50, ringingMs: 50, talkMs: 600 });
    harness = await startVoiceHarness(vapi, { VOICE_POLL_INTERVAL_MS: '1000' });
    await harness.startWorker();
    vapi.failNext({ count: 1, status: 503, method: 'GET', pathPattern: /^\/call\/.+/ });
    const job = await harness.queue.add('VOICE_CALL', call(40), { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    const result = await job.waitUntilFinished(harness.events, 20_000);
    expect(harness.logs.some((l) => l['msg'] === 'reading the call failed: checking again later')).toBe(true);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
    expect(vapi.calls).toHaveLength(1);
    expect(result.vapiCallId).toBe(vapi.calls[0]?.id);
  });

  it('a toll-free number (dozens of zones) follows VOICE_DEFAULT_TIME_ZONE, not the first zone of its list', async () => {
    vapi = await startVapiFake();
    // Open only on a day that is not today in the default zone: the job must wait.
    const day = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', weekday: 'short' }).format(new Date()).toLowerCase();
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const otherDay = days[(days.indexOf(day) + 2) % 7] as string;
    harness = await startVoiceHarness(vapi, { VOICE_CALLING_HOURS: '09:00-20:00', VOICE_CALLING_DAYS: otherDay, VOICE_DEFAULT_TIME_ZONE: 'Asia/Tokyo' });
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(50, { phoneNumber: '+1 800 555 0199' }));
    await waitFor('the job waiting', async () => (await harness.queue.getJobState(job.id as string)) === 'delayed');
    expect(harness.logs.some((l) => l['msg'] === 'job waiting' && l['reason'] === 'outside calling hours in Asia/Tokyo')).toBe(true);
    expect(vapi.calls).toHaveLength(0);
  });

  it('a Vapi outage while a call is in progress delays following it; it does not fail the job', async () => {
    vapi = await startVapiFake();
    vapi.setTimings({ manual: true });
    harness = await startVoiceHarness(vapi, { VOICE_POLL_INTERVAL_MS: '1000' });
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(60), { attempts: 2 });
    await waitFor('the call placed', () => vapi.calls.length === 1);
    await vapi.advance(vapi.calls[0]?.id as string, 'in-progress');
    vapi.failNext({ count: 6, status: 503, method: 'GET', pathPattern: /^\/call\/.+/ });
    await waitFor('the failed reads', () => vapi.requests.filter((r) => r.method === 'GET' && r.status === 503).length >= 3, { timeoutMs: 30_000 });
    await vapi.advance(vapi.calls[0]?.id as string, 'ended');
    await expect(job.waitUntilFinished(harness.events, 20_000)).resolves.toMatchObject({ status: 'ended' });
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
  }, 120_000);

  it('a call record corrupted in Redis fails the job at once, naming the key and the field; nothing is dialled', async () => {
    vapi = await startVapiFake();
    harness = await startVoiceHarness(vapi);
    const key = `${harness.config.keyPrefix}:call:call-70`;
    const redis = new Redis(testRedisUrl());
    try {
      await redis.hset(key, { v: '1', placingSince: 'yesterday' });
    } finally {
      await redis.quit();
    }
    await harness.startWorker();
    const job = await harness.queue.add('VOICE_CALL', call(70), { attempts: 3 });
    await expect(job.waitUntilFinished(harness.events, 30_000)).rejects.toThrow(`Call record ${key} is unreadable: placingSince: expected ms since the epoch`);
    expect((await harness.queue.getJob(job.id as string))?.attemptsMade).toBe(1);
    expect(vapi.calls).toHaveLength(0);
  });
});
