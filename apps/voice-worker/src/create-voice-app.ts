import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ioRedisOptions } from '@jobs/queue-contracts';
import type { JobHandlers, Logger } from '@jobs/worker-kit';
import type { VoiceWorkerConfig } from './config';
import { CallRecordStore } from './lib/call-record-store';
import { SdkVapiCalls } from './lib/vapi-calls';
import { startVapiWebhookServer, type VapiWebhookServer } from './lib/vapi-webhook-server';
import { createVoiceCallHandler } from './voice-call-handler';

/** The voice queue's handlers and the webhook receiver (when enabled). */
export interface VoiceApp {
  readonly handlers: JobHandlers<'voice'>;
  readonly webhookServer: VapiWebhookServer | null;
  close(): Promise<void>;
}

/**
 * Wires the voice worker from its config: Vapi through the official SDK, call records in Redis
 * under `config.keyPrefix`, and — with `VOICE_WEBHOOK_SECRET` — the receiver of Vapi's server
 * messages, which wakes a job following a call by promoting it. `redis` must be connected.
 */
export async function createVoiceApp(config: VoiceWorkerConfig, redis: Redis, log: Logger): Promise<VoiceApp> {
  const records = new CallRecordStore(redis, config.keyPrefix, config.callRecordTtlMs);
  const vapi = new SdkVapiCalls({ baseUrl: config.vapi.baseUrl, apiKey: config.vapi.apiKey, timeoutMs: config.vapi.timeoutMs });
  const queue = new Queue('voice', { connection: ioRedisOptions(config.worker.redis, 'producer'), prefix: config.worker.prefix });
  queue.on('error', (err) => log.debug({ err }, 'voice queue connection error'));
  let webhookServer: VapiWebhookServer | null = null;
  if (config.webhook) {
    webhookServer = await startVapiWebhookServer({
      host: config.webhook.host,
      port: config.webhook.port,
      secret: config.webhook.secret,
      records,
      log,
      wake: async (jobId) => {
        const job = await Job.fromId(queue, jobId);
        if (!job || !(await job.isDelayed())) return false;
        // Promoting a job that just left "delayed" throws: it is running already, which is fine.
        return job.promote().then(
          () => true,
          () => false,
        );
      },
    });
    log.info({ port: webhookServer.port }, 'Vapi webhook receiver listening');
  }
  return {
    handlers: {
      VOICE_CALL: createVoiceCallHandler({
        vapi,
        records,
        phoneNumberId: config.vapi.phoneNumberId,
        callingWindow: config.callingWindow,
        defaultTimeZone: config.defaultTimeZone,
        pollIntervalMs: config.pollIntervalMs,
        placingLockTtlMs: config.worker.lockDurationMs,
        maxCallDurationMs: config.maxCallDurationMs,
        webhook: config.webhook ? { url: config.webhook.publicUrl, secret: config.webhook.secret } : null,
      }),
    },
    webhookServer,
    async close() {
      await webhookServer?.close();
      await queue.close();
    },
  };
}
