// Child process of `bench:scale`, raw side: a bare BullMQ Worker on the queue BENCH_QUEUE names
// (`seo` by default), with the same prefix, concurrency and connection options as the kit side,
// returning the same result with no validation, metrics or logging. Reads REDIS_URL or
// REDIS_CLUSTER_NODES, BULLMQ_PREFIX, WORKER_CONCURRENCY and BENCH_QUEUE.
// On a cluster it is what BullMQ documents (https://docs.bullmq.io/patterns/redis-cluster): an
// ioredis Cluster as `connection` and a prefix holding a hash tag, a different tag per queue
// group. Both come from the contracts (`bullMqConnection`: the same Cluster options as the kit's
// workers; `queuePrefix`: `<prefix>:{<group>}`), so the two sides differ only in the kit's
// per-job work. SIGTERM closes the worker (running jobs finish), then its Cluster, and exits 0.
import { Worker } from 'bullmq';
import { bullMqConnection, queuePrefix, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { RAW_READY_MSG, reportCompletedCountOnExit } from './bench-worker-report';
import { benchQueueFromEnv, SPREAD_JOBS } from './spread-jobs';

const queue = benchQueueFromEnv();
const redis = redisSettingsFromEnv(process.env);
const connection = bullMqConnection(redis, 'worker');
const result = SPREAD_JOBS[queue].result;
const worker = new Worker(queue, async () => result, {
  connection: connection.connection,
  prefix: queuePrefix({ redis, prefix: process.env['BULLMQ_PREFIX'] }, queue),
  concurrency: Number(process.env['WORKER_CONCURRENCY'] ?? 50),
});
worker.on('error', (err) => process.stderr.write(`raw bench worker: ${err.message}\n`));
reportCompletedCountOnExit(worker);
void worker.waitUntilReady().then(() => process.stdout.write(`${JSON.stringify({ msg: RAW_READY_MSG, pid: process.pid })}\n`));
process.once('SIGTERM', () =>
  void worker
    .close()
    .then(() => connection.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    ),
);
