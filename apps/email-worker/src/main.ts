// Composition root of the email worker: config → logger → Redis → handlers (credentials,
// providers, output, stores; see create-email-handlers) → worker with health server and
// shutdown. Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { ConfigError, connectAppRedis, createLogger, loadDotEnv, runWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createEmailHandlers } from './create-email-handlers';

async function main(): Promise<void> {
  // `.env` of the current directory, if any; variables already set win.
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger({ level: config.worker.logLevel, name: 'email-worker' });
  log.info(
    { sync: config.sync, sink: config.sink.kind, folders: config.graph.folders, model: config.chat.model },
    'email worker settings',
  );

  // The worker's own keys (state, locks, markers, draft records) and the Redis Stream output.
  const redis = await connectAppRedis(config.worker.redis, 'email-worker:state', log);

  await runWorkerApp({
    queue: QUEUE_NAMES.email,
    config: config.worker,
    log,
    handlers: createEmailHandlers(config, redis),
    onClose: async () => {
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
  process.stderr.write(`email-worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
