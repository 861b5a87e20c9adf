// Composition root of the voice worker: config → logger → Redis → Vapi client, call records and
// the webhook receiver (create-voice-app) → worker with health server and shutdown. Nothing
// below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { ConfigError, connectAppRedis, createLogger, loadDotEnv, runWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createVoiceApp } from './create-voice-app';

async function main(): Promise<void> {
  // `.env` of the current directory, if any; variables already set win.
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger({ level: config.worker.logLevel, name: 'voice-worker' });
  log.info(
    { callingWindow: { ...config.callingWindow, days: [...config.callingWindow.days] }, pollIntervalMs: config.pollIntervalMs, webhook: config.webhook !== null },
    'voice worker settings',
  );
  const redis = await connectAppRedis(config.worker.redis, 'voice-worker:state', log);
  const app = await createVoiceApp(config, redis, log);
  await runWorkerApp({
    queue: QUEUE_NAMES.voice,
    config: config.worker,
    log,
    handlers: app.handlers,
    onClose: async () => {
      await app.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    // One line naming every missing or bad variable, already prefixed with the app's name.
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`voice-worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
