// Composition root of the SEO worker: config → logger → handlers → worker (with health server
// and shutdown). Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { ConfigError, createLogger, loadDotEnv, runWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createSeoAuditHandler } from './seo-audit-handler';

async function main(): Promise<void> {
  // `.env` of the current directory, if any; variables already set win.
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger({ level: config.worker.logLevel, name: 'seo-worker' });
  log.info({ crawl: config.crawl }, 'crawl settings');
  await runWorkerApp({
    queue: QUEUE_NAMES.seo,
    config: config.worker,
    log,
    handlers: { SEO_AUDIT: createSeoAuditHandler({ crawl: config.crawl }) },
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    // One line naming every missing or bad variable, already prefixed with the app's name.
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`seo-worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
