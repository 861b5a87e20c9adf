// Entry point of the SEO worker: the kit's app skeleton (configuration, worker, health server,
// shutdown) around the audit handler. Nothing below this file reads the environment.
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createSeoAuditHandler } from './seo-audit-handler';

void defineWorkerApp({
  name: 'seo-worker',
  queue: QUEUE_NAMES.seo,
  loadConfig,
  describe: (config) => ({ crawl: config.crawl }),
  build: ({ config }) => ({ handlers: { SEO_AUDIT: createSeoAuditHandler({ crawl: config.crawl }) } }),
}).main();
