import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { ioRedisOptions } from '@jobs/queue-contracts';
import { deletePrefix, freePort, startFakeVapiServer, testRedisUrl, uniquePrefix, type FakeVapiServer, jsonLineSink } from '@jobs/test-support';
import { createLogger, createQueueWorker, type QueueWorker } from '@jobs/worker-kit';
import { loadConfig, type VoiceWorkerConfig } from '../config';
import { createVoiceApp, type VoiceApp } from '../create-voice-app';

export const VAPI_API_KEY = 'vapi-private-local-test-key';
export const WEBHOOK_SECRET = 'local-webhook-secret-0123456789';
export const PHONE_NUMBER_ID = 'pn-local-0001';

/** Calling hours that are always open, for tests that are not about them. */
export const ALWAYS_OPEN = { VOICE_CALLING_HOURS: '00:00-24:00', VOICE_CALLING_DAYS: 'sun-sat' };

/** The local Vapi server. */
export function startVapiFake(): Promise<FakeVapiServer> {
  return startFakeVapiServer({ apiKey: VAPI_API_KEY });
}

/** The voice worker's environment pointed at the local Vapi, webhook receiver on `webhookPort`. */
export function voiceEnv(vapi: FakeVapiServer, prefix: string, webhookPort: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: testRedisUrl(),
    BULLMQ_PREFIX: prefix,
    VAPI_BASE_URL: vapi.origin,
    VAPI_API_KEY,
    VAPI_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    VOICE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    VOICE_WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${webhookPort}/vapi/webhook`,
    VOICE_WEBHOOK_HOST: '127.0.0.1',
    VOICE_WEBHOOK_PORT: String(webhookPort),
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    ...ALWAYS_OPEN,
    ...extra,
  };
}

/** An in-process voice worker on real Redis, wired as main.ts wires it. */
export interface VoiceHarness {
  readonly prefix: string;
  readonly config: VoiceWorkerConfig;
  readonly webhookUrl: string;
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly logs: Record<string, unknown>[];
  startWorker(): Promise<QueueWorker>;
  close(): Promise<void>;
}

export async function startVoiceHarness(vapi: FakeVapiServer, env: Record<string, string> = {}): Promise<VoiceHarness> {
  const prefix = uniquePrefix('voice');
  const port = await freePort();
  const config = loadConfig(voiceEnv(vapi, prefix, port, env));
  const redis = new Redis(ioRedisOptions(config.worker.redis, 'worker'));
  const queue = new Queue('voice', { connection: ioRedisOptions(config.worker.redis, 'producer'), prefix });
  const events = new QueueEvents('voice', { connection: ioRedisOptions(config.worker.redis, 'worker'), prefix });
  await events.waitUntilReady();
  const { lines: logs, destination } = jsonLineSink();
  const log = createLogger({ level: 'debug', destination });
  const workers: QueueWorker[] = [];
  const apps: VoiceApp[] = [];
  return {
    prefix,
    config,
    webhookUrl: `http://127.0.0.1:${port}/vapi/webhook`,
    queue,
    events,
    logs,
    async startWorker() {
      const app = await createVoiceApp(config, { redis, queue, log });
      apps.push(app);
      const worker = createQueueWorker({ queue: 'voice', handlers: app.handlers, config: config.worker, log });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(1000)));
      await Promise.all(apps.map((a) => a.close()));
      await Promise.all([queue.close(), events.close()]);
      await redis.quit();
      await deletePrefix(testRedisUrl(), prefix);
    },
  };
}
