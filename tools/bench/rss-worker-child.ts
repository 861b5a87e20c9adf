// Child process of the P6 bench: a kit worker (the no-op SEO_AUDIT handler) on REDIS_URL /
// BULLMQ_PREFIX that prints one JSON line when ready and one every RSS_EVERY completed jobs with
// its resident set size, so the parent reads memory without sharing a heap with it.
import { startKitWorker } from './seo-noop-job';

const every = Number(process.env['RSS_EVERY'] ?? 10_000);
const worker = startKitWorker({ redisUrl: process.env['REDIS_URL'] ?? '', prefix: process.env['BULLMQ_PREFIX'] ?? 'bull', concurrency: 50 });
let completed = 0;
worker.worker.on('completed', () => {
  completed += 1;
  if (completed % every === 0) process.stdout.write(`${JSON.stringify({ completed, rssBytes: process.memoryUsage.rss() })}\n`);
});
void worker.worker.waitUntilReady().then(() => process.stdout.write(`${JSON.stringify({ ready: true, rssBytes: process.memoryUsage.rss() })}\n`));
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
