import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createVoiceApp } from './create-voice-app';

/**
 * The voice worker as the kit's app skeleton (configuration, Redis, queue handle, worker, health
 * server on 9102, shutdown) around createVoiceApp (Vapi client, call records, the webhook
 * receiver, released before the state connection). `main.ts` runs its `main()`; tests `start()` it.
 */
export const voiceWorkerApp = defineWorkerApp({
  name: 'voice-worker',
  queue: QUEUE_NAMES.voice,
  loadConfig,
  describe: (config) => ({
    callingWindow: { ...config.callingWindow, days: [...config.callingWindow.days] },
    pollIntervalMs: config.pollIntervalMs,
    webhook: config.webhook !== null,
  }),
  build: async ({ config, log, queue, stateRedis, release }) => {
    const app = await createVoiceApp(config, { redis: await stateRedis(), queue, log });
    release('voice webhook receiver', () => app.close());
    return { handlers: app.handlers };
  },
});
