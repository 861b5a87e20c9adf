// Composition root of the enrichment worker: config → logger → Redis → rate limiter, Apify
// client and batch records (create-enrichment-handlers) → worker with health server and
// shutdown. Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { ConfigError, connectAppRedis, createLogger, loadDotEnv, runWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createEnrichmentHandlers } from './create-enrichment-handlers';

async function main(): Promise<void> {
  // `.env` of the current directory, if any; variables already set win.
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger({ level: config.worker.logLevel, name: 'enrichment-worker' });
  log.info({ actorId: config.apify.actorId, maxCallsPerSecond: config.apify.maxCallsPerSecond, runTimeoutSecs: config.runTimeoutSecs }, 'enrichment worker settings');
  const redis = await connectAppRedis(config.worker.redis, 'enrichment-worker:state', log);
  await runWorkerApp({
    queue: QUEUE_NAMES.enrichment,
    config: config.worker,
    log,
    handlers: createEnrichmentHandlers(config, redis).handlers,
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
  process.stderr.write(`enrichment-worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
