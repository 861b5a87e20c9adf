import { Job, type Queue } from 'bullmq';
import type { AppRedis, JobHandlers, Logger } from '@jobs/worker-kit';
import type { VoiceWorkerConfig } from './config';
import { CallRecordStore } from './lib/call-record-store';
import { SdkVapiCalls } from './lib/vapi-calls';
import { startVapiWebhookServer, type VapiWebhookServer } from './lib/vapi-webhook-server';
import { createVoiceCallHandler } from './voice-call-handler';

/** The voice queue's handlers and the webhook receiver (when enabled). */
export interface VoiceApp {
  readonly handlers: JobHandlers<'voice'>;
  readonly webhookServer: VapiWebhookServer | null;
  /** Closes the webhook receiver (the caller owns `redis` and `queue`). */
  close(): Promise<void>;
}

/** What {@link createVoiceApp} is given, connected; the caller closes them. */
export interface VoiceAppDeps {
  /** For call records and placing locks: a standalone Redis or, in cluster mode, a Cluster. */
  readonly redis: AppRedis;
  /** The voice queue's handle (the kit's), to wake a job following a call. */
  readonly queue: Queue;
  readonly log: Logger;
}

/**
 * Wires the voice worker from its config: Vapi through the official SDK, call records in Redis
 * under `config.keyPrefix`, and — with `VOICE_WEBHOOK_SECRET` — the receiver of Vapi's server
 * messages, which wakes a job following a call by promoting it.
 */
export async function createVoiceApp(config: VoiceWorkerConfig, { redis, queue, log }: VoiceAppDeps): Promise<VoiceApp> {
  const records = new CallRecordStore(redis, config.keyPrefix, config.callRecordTtlMs);
  const vapi = new SdkVapiCalls({ baseUrl: config.vapi.baseUrl, apiKey: config.vapi.apiKey, timeoutMs: config.vapi.timeoutMs });
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
    },
  };
}
