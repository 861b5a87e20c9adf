// The built voice worker runs alone (see built-app.ts): it places a call on the local Vapi
// server, follows it to its end through its webhook receiver, and exits 0 on SIGTERM.
import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv, voiceCallResultSchema } from '@jobs/queue-contracts';
import { deletePrefix, freePort, startFakeVapiServer, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { check, installBuiltApp } from './built-app';
import { waitForJobResult } from '../demo/wait-for-job-result';

/** Runs the voice worker's smoke test. @throws Error saying what failed. */
export async function smokeBuiltVoiceWorker(): Promise<void> {
  const app = installBuiltApp('voice-worker');
  const url = testRedisUrl();
  const prefix = uniquePrefix('built-voice');
  const vapi = await startFakeVapiServer({ apiKey: 'vapi-smoke-key' });
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis, prefix });
  const events = new QueueEvents('voice', { connection: ioRedisOptions(redis, 'worker'), prefix });
  try {
    const port = await freePort();
    const worker = await app.start({
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_PORT: '0',
      VAPI_BASE_URL: vapi.origin,
      VAPI_API_KEY: 'vapi-smoke-key',
      VAPI_PHONE_NUMBER_ID: 'pn-smoke',
      VOICE_WEBHOOK_SECRET: 'smoke-webhook-secret-0123',
      VOICE_WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}/vapi/webhook`,
      VOICE_WEBHOOK_PORT: String(port),
      VOICE_CALLING_HOURS: '00:00-24:00',
      VOICE_CALLING_DAYS: 'sun-sat',
    });
    await events.waitUntilReady();
    const job = await producer.add('VOICE_CALL', { userId: 'smoke', callId: 'smoke-call', phoneNumber: '+14155550123', assistantId: 'a1' });
    const result = voiceCallResultSchema.parse(await waitForJobResult(producer, job, events, 60_000));
    check(result.status === 'ended' && vapi.calls.length === 1, `expected one ended call, got ${vapi.calls.length} call(s), status ${result.status}`);
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    check(code === 0, `the built voice-worker exited ${code} on SIGTERM, not 0:\n${worker.stderr()}`);
    process.stdout.write(`built voice-worker followed call ${result.vapiCallId} to ${result.endedReason} and exited 0\n`);
  } finally {
    await Promise.all([producer.close(), events.close(), vapi.close()]);
    await deletePrefix(url, prefix);
    app.remove();
  }
}
