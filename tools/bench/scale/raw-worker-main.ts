// Child process of `bench:scale`, raw side: a bare BullMQ Worker on the same queue, prefix,
// concurrency and connection options (the contracts' `ioRedisOptions(..., 'worker')`) as the kit
// side, returning the same result with no validation, metrics or logging. Reads REDIS_URL,
// BULLMQ_PREFIX and WORKER_CONCURRENCY; SIGTERM closes the worker (running jobs finish) and exits 0.
import { Worker } from 'bullmq';
import { ioRedisOptions, QUEUE_NAMES, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { SEO_NOOP_RESULT } from '../seo-noop-job';
import { RAW_READY_MSG, reportCompletedCountOnExit } from './bench-worker-report';

const concurrency = Number(process.env['WORKER_CONCURRENCY'] ?? 50);
const worker = new Worker(QUEUE_NAMES.seo, async () => SEO_NOOP_RESULT, {
  connection: ioRedisOptions(redisSettingsFromEnv(process.env), 'worker'),
  prefix: process.env['BULLMQ_PREFIX'] ?? 'bull',
  concurrency,
});
worker.on('error', (err) => process.stderr.write(`raw bench worker: ${err.message}\n`));
reportCompletedCountOnExit(worker);
void worker.waitUntilReady().then(() => process.stdout.write(`${JSON.stringify({ msg: RAW_READY_MSG, pid: process.pid })}\n`));
process.once('SIGTERM', () =>
  void worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  ),
);
