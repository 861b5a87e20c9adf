// Entry point of the voice worker: the kit's app skeleton (configuration, Redis, queue handle,
// worker, health server, shutdown) around create-voice-app (Vapi client, call records, the
// webhook receiver). Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createVoiceApp } from './create-voice-app';

void defineWorkerApp({
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
}).main();
